-- Creates database :db owned by storefront_owner (run connected to database postgres; idempotent).
\set ON_ERROR_STOP on
SELECT format('CREATE DATABASE %I OWNER storefront_owner ENCODING ''UTF8'' TEMPLATE template0', :'db')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
ALTER DATABASE :"db" OWNER TO storefront_owner;
GRANT CONNECT ON DATABASE :"db" TO storefront_app;
