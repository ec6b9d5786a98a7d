-- Cluster-wide roles (run by bin/infra as the postgres superuser; idempotent).
--   storefront_owner: owns the databases, schema public and every table (migrations run as it).
--   storefront_app:   what the application connects as; DML only, owns nothing, no RLS bypass.
\set ON_ERROR_STOP on
SELECT 'CREATE ROLE storefront_owner LOGIN'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'storefront_owner') \gexec
SELECT 'CREATE ROLE storefront_app LOGIN'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'storefront_app') \gexec

ALTER ROLE storefront_owner WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION
  PASSWORD 'storefront_owner';
ALTER ROLE storefront_app WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION
  PASSWORD 'storefront_app';
