package platform.bulkhead;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The traffic class of a REST resource's requests (on the class, or on a method to differ from
 * it): every database transaction a request runs is admitted and limited as this class. Every
 * resource that serves a shop declares one; a request of a resource without it counts as
 * {@link TrafficClass#BROWSE}, and work outside a request as {@link TrafficClass#BACKGROUND}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Traffic {

    TrafficClass value();
}
