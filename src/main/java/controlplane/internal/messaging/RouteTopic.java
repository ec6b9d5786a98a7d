package controlplane.internal.messaging;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import platform.NodeRole;
import platform.StorefrontConfig;
import tenancy.TenantRoute;

/** The route topic is compacted (the latest route of every host is kept forever); the control node creates it so. */
@Singleton
class RouteTopic {

    private static final Logger LOG = Logger.getLogger(RouteTopic.class);

    @Inject StorefrontConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    void create(@Observes StartupEvent event) {
        if (config.role() != NodeRole.CONTROL) {
            return;
        }
        String topic = config.topic(TenantRoute.TOPIC);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"))))
                    .all().get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("Could not create the route topic %s: %s", topic, e.getCause().getMessage());
            }
        } catch (Exception e) {
            LOG.warnf("Could not create the route topic %s: %s", topic, e.getMessage());
        }
    }
}
