package platform.internal.bulkhead;

import jakarta.enterprise.context.RequestScoped;
import platform.bulkhead.TrafficClass;

/** The traffic class of the request at hand, set by {@link TrafficClassifier}; none outside requests. */
@RequestScoped
class CurrentTraffic {

    private TrafficClass trafficClass;

    TrafficClass get() {
        return trafficClass;
    }

    void set(TrafficClass trafficClass) {
        this.trafficClass = trafficClass;
    }
}
