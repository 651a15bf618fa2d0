package io.templateworker.app.modes;

import io.templateworker.app.AppContext;

/** {@code --worker-type shell} ({@code fauxpas}): the staff REPL. Not built yet. */
public final class ShellMode implements Mode {

    @Override
    public int run(AppContext ctx) {
        return NotBuiltYet.report("shell", "The Fauxpas staff shell is planned; nothing to use instead yet.");
    }
}
