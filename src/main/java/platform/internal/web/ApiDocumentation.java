package platform.internal.web;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The API description's header and its two credentials (served at {@code /q/openapi}). */
@OpenAPIDefinition(info = @Info(title = "Storefront platform API", version = "0.1.0",
        description = "Storefront (shoppers, by shop host name), merchant admin (staff API tokens) and operator (control plane) APIs."
                + " Every error is an RFC 9457 problem document (application/problem+json) naming the offending fields."))
@SecurityScheme(securitySchemeName = "staff", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A staff API token of the shop named by the host (POST /api/admin/tokens)")
@SecurityScheme(securitySchemeName = "operator", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The operator token of the control node (OPERATOR_TOKEN)")
public class ApiDocumentation extends Application {}
