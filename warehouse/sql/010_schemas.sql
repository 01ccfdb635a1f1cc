-- Schemas and privileges of the warehouse database. Idempotent: run at every bootstrap.
-- raw: figures as loaded (never updated, never deleted); audit: what happened to every
-- file, pull and validation; catalog/staging/intermediate/marts: built by dbt.
create schema if not exists raw authorization vq_loader;
create schema if not exists audit authorization vq_loader;
create schema if not exists catalog authorization vq_transformer;
create schema if not exists staging authorization vq_transformer;
create schema if not exists intermediate authorization vq_transformer;
create schema if not exists marts authorization vq_transformer;

revoke all on schema public from public;
revoke create on schema public from public;

grant usage on schema raw, audit to vq_transformer;
alter default privileges for role vq_loader in schema raw grant select on tables to vq_transformer;
alter default privileges for role vq_loader in schema audit grant select on tables to vq_transformer;

grant usage on schema marts to vq_reader;
alter default privileges for role vq_transformer in schema marts grant select on tables to vq_reader;
