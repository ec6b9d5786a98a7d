package admin.internal.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** An admin page that needs no session (sign-in, accepting an invitation); its forms use a sign-in CSRF cookie. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface SignedOut {}
