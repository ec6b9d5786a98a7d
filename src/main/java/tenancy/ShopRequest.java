package tenancy;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks REST resources that serve one shop: before the method runs, the request's tenant is
 * resolved (the gateway's signed tenant header, else the Host header) and bound; a host or tenant
 * this cell does not serve gets a 404 problem.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ShopRequest {}
