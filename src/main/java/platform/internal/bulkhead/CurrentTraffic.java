package platform.internal.bulkhead;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;
import platform.bulkhead.TrafficClass;

/**
 * The traffic class of the request at hand, set by {@link TrafficClassifier}, and the request's turn in its
 * tenant's database time budget of the class (charged when the request ends); none outside requests.
 */
@RequestScoped
class CurrentTraffic {

    private TrafficClass trafficClass;
    private RequestCost cost;

    TrafficClass get() {
        return trafficClass;
    }

    void set(TrafficClass trafficClass) {
        this.trafficClass = trafficClass;
    }

    /** The request's turn in a database time budget, or null before its first budgeted transaction. */
    synchronized RequestCost cost() {
        return cost;
    }

    synchronized void cost(RequestCost cost) {
        this.cost = cost;
    }

    @PreDestroy
    void ended() {
        RequestCost taken = cost();
        if (taken != null) {
            taken.end(System.nanoTime());
        }
    }
}
