package tenancy;

/**
 * What a cell does with the control plane's {@link PurgeTenant} commands: implemented by the module that owns the data
 * lifecycle, called by the cell's command consumer (which stays unaware of it). Must return quickly: the purge itself
 * runs in the background and resumes after a crash.
 */
public interface TenantPurges {

    /** Takes a purge command (a repeated one changes nothing, or answers again when the purge is done). */
    void requested(PurgeTenant command);
}
