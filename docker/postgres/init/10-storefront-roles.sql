-- Storefront database roles, ownership and grants for a containerised PostgreSQL (postgres image).
-- Run once by the image's entrypoint, on an empty data volume, as the superuser, connected to the
-- database named by POSTGRES_DB. It mirrors infra/postgres/roles.sql, database.sql and schema.sql
-- (what bin/infra runs for the local setup); only the passwords differ: they come from the
-- container's environment (STOREFRONT_OWNER_PASSWORD, STOREFRONT_APP_PASSWORD).
--   storefront_owner: owns the database, schema public and every table (migrations run as it).
--   storefront_app:   what the application connects as; DML only, owns nothing, no RLS bypass.
\set ON_ERROR_STOP on
\getenv db POSTGRES_DB
\getenv owner_password STOREFRONT_OWNER_PASSWORD
\getenv app_password STOREFRONT_APP_PASSWORD
\if :{?owner_password}
\else
  \warn 'STOREFRONT_OWNER_PASSWORD is not set in the database container'
  SELECT 1 / 0 AS storefront_owner_password_missing;
\endif
\if :{?app_password}
\else
  \warn 'STOREFRONT_APP_PASSWORD is not set in the database container'
  SELECT 1 / 0 AS storefront_app_password_missing;
\endif

-- roles (infra/postgres/roles.sql)
CREATE ROLE storefront_owner WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION
  PASSWORD :'owner_password';
CREATE ROLE storefront_app WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION
  PASSWORD :'app_password';

-- the database (infra/postgres/database.sql): created by the entrypoint, handed to the owner
ALTER DATABASE :"db" OWNER TO storefront_owner;
GRANT CONNECT ON DATABASE :"db" TO storefront_app;

-- ownership and grants inside the database (infra/postgres/schema.sql)
ALTER SCHEMA public OWNER TO storefront_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO storefront_app;

ALTER DEFAULT PRIVILEGES FOR ROLE storefront_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO storefront_app;
ALTER DEFAULT PRIVILEGES FOR ROLE storefront_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO storefront_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO storefront_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO storefront_app;
