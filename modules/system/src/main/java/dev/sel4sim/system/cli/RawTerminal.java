package dev.sel4sim.system.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Puts the controlling terminal in raw mode for an interactive VM console (keys go to the
 * guest one by one, Ctrl-C included) and restores it afterwards. Does nothing when the input
 * is not a terminal (a pipe, CI).
 */
final class RawTerminal {
    private final String saved;
    private boolean restored;

    private RawTerminal(String saved) {
        this.saved = saved;
    }

    static RawTerminal enter() {
        java.io.Console c = System.console();
        if (c == null || !c.isTerminal() || !new File("/dev/tty").exists()) {
            return new RawTerminal(null);
        }
        String saved = stty("-g");
        if (saved == null || stty("raw", "-echo") == null) {
            return new RawTerminal(null);
        }
        return new RawTerminal(saved.trim());
    }

    boolean active() {
        return saved != null;
    }

    synchronized void restore() {
        if (saved != null && !restored) {
            restored = true;
            stty(saved);
        }
    }

    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/tty")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
