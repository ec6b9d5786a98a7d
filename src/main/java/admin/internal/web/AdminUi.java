package admin.internal.web;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the merchant admin's HTML pages: they need a signed-in staff member of the shop (unless
 * also marked {@link SignedOut}), check the CSRF token of every form post, and carry the admin's
 * security headers.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@interface AdminUi {}
