"""`digest ingest`: news pages in, Markdown articles with front matter out.

One stage with several readers, feeding one article model and one writer:

- `sources`: what the editor gives (links, files, folders, standard input), read and decoded;
- `fetch`: links to pages' bytes, politely, or one clear reason why not;
- `htmlpage`: a page's HTML (fetched, saved, the clipboard's) to an `Extraction`, with
  `metadata` reading what the page declares (JSON-LD, OpenGraph, bylines, <time>);
- `textpage`: copied page text (select all, copy) to an `Extraction`;
- `normalize`: names and dates as pages print them, shared by every reader;
- `extraction`: the `Extraction` every reader returns;
- `writer`: an `Extraction` to an article file, and the articles already there;
- `pipeline`: each source through its reader and the writer, one result per source.
"""

from .pipeline import IngestResult, ingest_paths, parse_copied_at
from .sources import InputError, decode

__all__ = ["IngestResult", "InputError", "decode", "ingest_paths", "parse_copied_at"]
