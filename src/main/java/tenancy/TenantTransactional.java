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
 * security admits only that tenant's rows, and the {@code statement_timeout} and
 * {@code lock_timeout} of the work's traffic class. Before that statement the transaction is
 * admitted by the cell's {@link platform.bulkhead.TenantBulkhead} (it may wait for its turn, or be
 * refused with 503). Every access to tenant-owned tables goes through it.
 */
@InterceptorBinding
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface TenantTransactional {}
