package io.templateworker.app.modes;

/** The message and exit code of a mode that does not exist yet; never pretend to run it. */
public final class NotBuiltYet {

    /** Exit code of a mode that is not available. */
    public static final int EXIT_CODE = 2;

    private NotBuiltYet() {
    }

    /**
     * Prints why the mode cannot run and what to use instead, and returns {@link #EXIT_CODE}.
     *
     * @param mode        the --worker-type given
     * @param instead     what the user can do meanwhile
     */
    public static int report(String mode, String instead) {
        System.err.println("template-worker: --worker-type " + mode + " is not built yet. " + instead);
        return EXIT_CODE;
    }
}
