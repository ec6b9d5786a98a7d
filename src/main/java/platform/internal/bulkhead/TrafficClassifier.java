package platform.internal.bulkhead;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;

/**
 * Gives every REST request the traffic class its resource declares ({@link Traffic} on the method,
 * else on the class; {@link TrafficClass#BROWSE} without one), before any filter that reads the
 * database (the shop's staff are authenticated at {@code AUTHENTICATION - 90}).
 */
class TrafficClassifier {

    static final int PRIORITY = Priorities.AUTHENTICATION - 200;

    private static final Map<Method, TrafficClass> BY_METHOD = new ConcurrentHashMap<>();

    @Inject CurrentTraffic current;

    @ServerRequestFilter(priority = PRIORITY)
    void classify(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        current.set(method == null ? declared(null, resource.getResourceClass())
                : BY_METHOD.computeIfAbsent(method, m -> declared(m, resource.getResourceClass())));
    }

    /** The class a resource method declares, or its resource class, else {@link TrafficClass#BROWSE}. */
    static TrafficClass declared(Method method, Class<?> resourceClass) {
        Traffic traffic = method == null ? null : method.getAnnotation(Traffic.class);
        if (traffic == null && resourceClass != null) {
            traffic = resourceClass.getAnnotation(Traffic.class);
        }
        return traffic == null ? TrafficClass.BROWSE : traffic.value();
    }
}
