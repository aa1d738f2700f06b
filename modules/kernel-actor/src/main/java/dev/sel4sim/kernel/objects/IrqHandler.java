package dev.sel4sim.kernel.objects;

/**
 * The handler of one interrupt line. A raised IRQ signals the bound notification with the
 * handler's badge and stays masked until the handler is acknowledged (seL4_IRQHandler_Ack).
 */
public final class IrqHandler extends KObject {
    private final int irq;
    private Notification notification;
    private long badge;
    private boolean masked;
    private long delivered;
    private long lost;
    private boolean latched;

    public IrqHandler(String name, int irq) {
        super(name, 0, 0);
        this.irq = irq;
    }

    public int irq() {
        return irq;
    }

    public Notification notification() {
        return notification;
    }

    public long badge() {
        return badge;
    }

    public void bind(Notification n, long badge) {
        this.notification = n;
        this.badge = badge;
    }

    public boolean masked() {
        return masked;
    }

    public void setMasked(boolean m) {
        masked = m;
    }

    /** Interrupts signalled to the notification. */
    public long delivered() {
        return delivered;
    }

    /** Interrupts that arrived while the line was masked (not yet acknowledged) or unbound. */
    public long lost() {
        return lost;
    }

    public void countDelivered() {
        delivered++;
    }

    public void countLost() {
        lost++;
    }

    /** An interrupt arrived while masked and waits for the acknowledge. */
    public boolean latched() {
        return latched;
    }

    public void setLatched(boolean l) {
        latched = l;
    }

    @Override
    public ObjectType type() {
        return null;
    }

    @Override
    public String typeLabel() {
        return "irq-handler";
    }
}
