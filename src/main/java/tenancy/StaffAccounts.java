package tenancy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Staff accounts of the bound tenant, and the browser sessions of the merchant admin UI. Every call
 * acts on the tenant bound to the current unit of work only.
 */
public interface StaffAccounts {

    /** Staff roles: owners manage staff; staff run the shop. */
    List<String> ROLES = List.of("owner", "staff");

    /**
     * Checks an email and password and opens a browser session. Attempts beyond the sign-in limits
     * (per client address, and per account and client address) are refused before the password is
     * checked, reported as {@link SignIn.Outcome#THROTTLED} with when to try again (also for a right
     * password). An unknown email and a wrong password are both {@link SignIn.Outcome#REJECTED}.
     * Call it outside a transaction: the password is checked between short transactions of its own.
     */
    SignIn signIn(String email, String password);

    /** The staff member of a live browser session. */
    Optional<StaffPrincipal> session(String sessionToken);

    /** Ends a browser session (unknown tokens are ignored). */
    void signOut(String sessionToken);

    /** All staff accounts of the shop, by email. */
    List<StaffMember> members();

    /** Invitations not yet accepted and not expired, newest first. */
    List<Invitation> pendingInvitations();

    /**
     * Invites someone to join the shop's staff.
     *
     * @return the invitation token, shown once (only its digest is stored)
     * @throws platform.ProblemException 409 naming {@code email} if an account or invitation exists for it
     */
    String invite(String email, String role, StaffPrincipal invitedBy);

    /** The pending invitation of a token. */
    Optional<Invitation> invitation(String invitationToken);

    /** Accepts an invitation: creates the account and opens a session; empty if the token is not (or no longer) valid. */
    Optional<SignIn> accept(String invitationToken, String name, String password);

    /** Withdraws a pending invitation. */
    boolean withdraw(UUID invitationId);

    /**
     * Removes a staff account and ends its sessions and tokens.
     *
     * @throws platform.ProblemException 409 if it is the acting member or the shop's last owner
     */
    boolean remove(UUID staffId, StaffPrincipal actingMember);

    /**
     * Changes a staff member's password after checking the current one; ends their other sessions.
     * Call it outside a transaction (the passwords are hashed between short transactions).
     *
     * @throws platform.ProblemException 400 naming {@code currentPassword} if it is wrong
     */
    void changePassword(StaffPrincipal member, String currentPassword, String newPassword, String keepSession);

    /** Outcome of a sign-in: the session token when it succeeded, when to try again when it was throttled. */
    record SignIn(Outcome outcome, String sessionToken, StaffPrincipal principal, Duration retryAfter) {

        public enum Outcome { OK, REJECTED, THROTTLED }
    }

    /** A staff account as the shop's staff see it. */
    record StaffMember(UUID id, String email, String name, String role, Instant createdAt) {}

    /** A pending invitation. */
    record Invitation(UUID id, String email, String role, String invitedBy, Instant createdAt, Instant expiresAt) {}
}
