package platform.internal.db;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.liquibase.LiquibaseDataSource;
import io.quarkus.liquibase.LiquibaseFactory;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import liquibase.Liquibase;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import platform.NodeRole;
import platform.StorefrontConfig;

/**
 * Brings the role's own database to the current schema before the node takes traffic: first checks
 * that the application role can connect, then applies the role's Liquibase master changelog as the
 * owner role. A failure stops startup with one line that says which database, which setting to check
 * and why, instead of a stack trace.
 */
@Singleton
class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class);

    void migrate(@Observes @Priority(10) StartupEvent event, StorefrontConfig config,
                 @Any Instance<AgroalDataSource> dataSources, @Any Instance<LiquibaseFactory> liquibases) {
        Optional<String> name = databaseOf(config.role());
        if (name.isEmpty()) {
            return;
        }
        String ds = name.get();
        String url = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.datasource.\"" + ds + "\".jdbc.url", String.class).orElse("(no URL)");
        checkConnection(ds, url, dataSources.select(new DataSource.DataSourceLiteral(ds)).get());
        long start = System.nanoTime();
        LiquibaseFactory factory = liquibases.select(LiquibaseDataSource.LiquibaseDataSourceLiteral.of(ds)).get();
        try (Liquibase liquibase = factory.createLiquibase()) {
            liquibase.update(factory.createContexts(), factory.createLabels());
        } catch (Exception e) {
            throw new ConfigurationException("Schema migration of the " + ds + " database at " + url
                    + " failed: " + rootMessage(e)
                    + " (check DB_MIGRATION_USER and DB_MIGRATION_PASSWORD: the owner role of the database)");
        }
        LOG.infof("The %s database at %s is at the current schema (%d ms)", ds, url,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The named datasource a role owns, if any. */
    static Optional<String> databaseOf(NodeRole role) {
        return switch (role) {
            case CELL -> Optional.of("cell");
            case CONTROL -> Optional.of("control");
            case GATEWAY -> Optional.empty();
        };
    }

    private static void checkConnection(String ds, String url, AgroalDataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw new ConfigurationException("Cannot connect to the " + ds + " database at " + url + ": "
                    + rootMessage(e) + " (check DB_URL, DB_USER and DB_PASSWORD, and that PostgreSQL is running)");
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
