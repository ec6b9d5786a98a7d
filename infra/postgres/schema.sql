-- Ownership and grants inside one database (run connected to it as postgres; idempotent).
-- Safe to re-run after the owner's migrations have created tables.
\set ON_ERROR_STOP on
ALTER SCHEMA public OWNER TO storefront_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO storefront_app;

ALTER DEFAULT PRIVILEGES FOR ROLE storefront_owner IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO storefront_app;
ALTER DEFAULT PRIVILEGES FOR ROLE storefront_owner IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO storefront_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO storefront_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO storefront_app;
