package platform.internal.health;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import platform.NodeRole;
import platform.StorefrontConfig;

/**
 * Readiness of the node's real dependencies, registered for the role that uses them: Kafka on every
 * role, Redis on cells and gateways. (PostgreSQL is reported by the datasource health check, which
 * covers only the active datasource of the role.) Each probe is bounded by a short timeout so that a
 * hung dependency reports DOWN instead of hanging the probe.
 */
@Singleton
class DependencyHealthChecks {

    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    @Inject StorefrontConfig config;
    @Inject @Readiness HealthRegistry readiness;
    @Inject Instance<ReactiveRedisDataSource> redis;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafkaBootstrapServers;

    private volatile Admin kafkaAdmin;

    void register(@Observes StartupEvent event) {
        readiness.register("kafka", this::kafka);
        if (config.role() == NodeRole.CELL || config.role() == NodeRole.GATEWAY) {
            readiness.register("redis", this::redis);
        }
    }

    void close(@Observes ShutdownEvent event) {
        Admin admin = kafkaAdmin;
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }

    Uni<HealthCheckResponse> redis() {
        var response = HealthCheckResponse.named("redis").withData("url", redactedRedisUrl());
        return redis.get().execute("PING")
                .ifNoItem().after(PROBE_TIMEOUT).fail()
                .map(pong -> response.status(pong != null && "PONG".equalsIgnoreCase(pong.toString())).build())
                .onFailure().recoverWithItem(e -> down(response, e));
    }

    Uni<HealthCheckResponse> kafka() {
        var response = HealthCheckResponse.named("kafka").withData("bootstrap.servers", kafkaBootstrapServers);
        return Uni.createFrom().item(this::admin)
                .onItem().transformToUni(admin -> Uni.createFrom().completionStage(admin
                        .describeCluster(new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis()))
                        .nodes().toCompletionStage()))
                .ifNoItem().after(PROBE_TIMEOUT.plusMillis(500)).fail()
                .map(nodes -> response.status(!nodes.isEmpty()).withData("brokers", nodes.size()).build())
                .onFailure().recoverWithItem(e -> down(response, e));
    }

    private static HealthCheckResponse down(HealthCheckResponseBuilder response, Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return response.down().withData("error", cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage())).build();
    }

    private Admin admin() {
        Admin admin = kafkaAdmin;
        if (admin == null) {
            synchronized (this) {
                if (kafkaAdmin == null) {
                    Properties props = new Properties();
                    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers);
                    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "storefront-health-" + config.role().value());
                    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
                    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) PROBE_TIMEOUT.toMillis());
                    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
                    kafkaAdmin = Admin.create(props);
                }
                admin = kafkaAdmin;
            }
        }
        return admin;
    }

    private static String redactedRedisUrl() {
        String url = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue("quarkus.redis.hosts", String.class).orElse("");
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
