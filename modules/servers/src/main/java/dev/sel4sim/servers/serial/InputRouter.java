package dev.sel4sim.servers.serial;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Sends keystrokes to the client with the focus and watches them for the escape: escape + digit
 * moves the focus to that client, escape twice sends one escape, escape + {@code ?} shows the
 * clients. Like the camkes SerialServer, by default the escape counts only as the first key of a
 * line, and an escape followed by any other key is passed on as both keys.
 */
final class InputRouter {
    private final MuxSettings settings;
    /** Index into the input clients of the one with the focus, or -1 while there is none. */
    private int focus = -1;
    /** The last key ended a line (or nothing was typed yet), so an escape here is a command. */
    private boolean atLineStart = true;
    /** An escape was typed and the key that says what it means has not come yet. */
    private boolean escapePending;

    InputRouter(MuxSettings settings) {
        this.settings = settings;
    }

    void clientAdded(List<SerialClient> inputClients) {
        if (focus < 0 && !inputClients.isEmpty()) {
            focus = 0;
        }
    }

    String focusName(List<SerialClient> inputClients) {
        return focus < 0 ? null : inputClients.get(focus).name();
    }

    InputResult route(byte[] keys, List<SerialClient> inputClients) {
        Batch batch = new Batch(inputClients);
        int esc = settings.escape();
        for (byte k : keys) {
            int c = k & 0xff;
            if (escapePending) {
                escapePending = false;
                command(c, batch, inputClients);
            } else if (c == esc && (atLineStart || !settings.escapeAtLineStartOnly())) {
                escapePending = true;
            } else {
                batch.key(c);
                atLineStart = c == '\r' || c == '\n';
            }
        }
        return batch.result();
    }

    private void command(int c, Batch batch, List<SerialClient> inputClients) {
        int esc = settings.escape();
        if (c == esc) {
            batch.key(esc);
            atLineStart = false;
        } else if (c >= '0' && c <= '9') {
            int n = c - '0';
            if (n < inputClients.size()) {
                batch.flush();
                focus = n;
                batch.notices.add("-- input to " + inputClients.get(n).name() + " --");
            } else {
                // camkes passes an unknown selection on as typed; a notice tells the user instead
                // of surprising the guest with a stray escape.
                batch.notices.add("-- no client " + n + "; " + list(inputClients) + " --");
            }
            atLineStart = true;
        } else if (c == '?') {
            batch.notices.add("-- escape " + MuxSettings.describe(esc) + ": " + list(inputClients)
                    + "; twice sends it; ? this help --");
            atLineStart = true;
        } else {
            batch.key(esc);
            batch.key(c);
            atLineStart = c == '\r' || c == '\n';
        }
    }

    private String list(List<SerialClient> inputClients) {
        if (inputClients.isEmpty()) {
            return "no client takes input";
        }
        StringJoiner j = new StringJoiner(", ");
        for (SerialClient s : inputClients) {
            j.add(s.number() + " " + s.name());
        }
        return j.toString();
    }

    /** Keys collected for the focused client, cut into one delivery per stretch of unchanged focus. */
    private final class Batch {
        final List<SerialClient> inputClients;
        final List<Delivery> deliveries = new ArrayList<>();
        final List<String> notices = new ArrayList<>();
        final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Batch(List<SerialClient> inputClients) {
            this.inputClients = inputClients;
        }

        void key(int c) {
            // With no client taking input there is no one to give keys to; commands still work.
            if (focus >= 0) {
                pending.write(c);
            }
        }

        void flush() {
            if (pending.size() > 0) {
                deliveries.add(new Delivery(inputClients.get(focus).name(), pending.toByteArray()));
                pending.reset();
            }
        }

        InputResult result() {
            flush();
            return new InputResult(deliveries, notices);
        }
    }
}
