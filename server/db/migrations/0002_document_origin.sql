-- The device whose push wrote each document's current state (the client's X-Fieldbook-Device header; null
-- for writes without one). Pulls and the live stream leave a device's own writes out: it holds them already,
-- and the push answer gave it their serverRev (see server/sync/repository.ts).
ALTER TABLE documents ADD COLUMN origin text;
