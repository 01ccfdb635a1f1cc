-- Schemas and privileges of the warehouse database. Idempotent: run at every bootstrap.
-- raw: figures as loaded (never updated, never deleted); audit: what happened to every
-- file, pull and validation; catalog/staging/intermediate/marts: built by dbt.
--
-- raw and audit are history: they belong to vq_history, a role nobody logs in as. The
-- loader appends to them (insert, select) and cannot update, delete, truncate or alter
-- them; the one exception is raw.source_watermarks, the pull position it moves forward.
create schema if not exists raw authorization vq_history;
create schema if not exists audit authorization vq_history;
alter schema raw owner to vq_history;
alter schema audit owner to vq_history;
create schema if not exists catalog authorization vq_transformer;
create schema if not exists staging authorization vq_transformer;
create schema if not exists intermediate authorization vq_transformer;
create schema if not exists marts authorization vq_transformer;

revoke all on schema public from public;
revoke create on schema public from public;

grant usage on schema raw, audit to vq_transformer, vq_loader;
alter default privileges for role vq_history in schema raw grant select on tables to vq_transformer;
alter default privileges for role vq_history in schema audit grant select on tables to vq_transformer;
alter default privileges for role vq_history in schema raw grant select, insert on tables to vq_loader;
alter default privileges for role vq_history in schema audit grant select, insert on tables to vq_loader;
alter default privileges for role vq_history in schema raw grant usage, select on sequences to vq_loader;
alter default privileges for role vq_history in schema audit grant usage, select on sequences to vq_loader;

grant usage on schema marts to vq_reader;
alter default privileges for role vq_transformer in schema marts grant select on tables to vq_reader;
