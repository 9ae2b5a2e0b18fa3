-- PostgreSQL only (H2 has no such setting): the locations of %prod and %pg include this folder.
-- A policy change's data, 2 to 3 KB of JSON kept twice (the latest revision and the history), is compressed as it is
-- stored. lz4 rather than the default pglz: in the ingest benchmark (pg_stat_statements) an insert cost PostgreSQL
-- about 60 us a row in either table with pglz and 20 us with lz4. Needs PostgreSQL 14 or later built with lz4, as
-- the project's and the distributions' builds are. Values stored before keep their compression.
alter table policy_change alter column data set compression lz4;
alter table policy_change_revision alter column data set compression lz4;
