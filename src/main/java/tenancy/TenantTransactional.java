package tenancy;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method in a transaction (joining one that is already open) whose first statement sets
 * the transaction-local {@code app.tenant_id} to the bound tenant, so that PostgreSQL row-level
 * security admits only that tenant's rows. Every access to tenant-owned tables goes through it.
 */
@InterceptorBinding
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface TenantTransactional {}
