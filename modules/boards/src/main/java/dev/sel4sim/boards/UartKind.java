package dev.sel4sim.boards;

import java.util.Arrays;
import java.util.Optional;

/** The register interface of a UART, which decides the emulation or driver it needs. */
public enum UartKind {
    /** ARM PrimeCell PL011. */
    PL011("pl011"),
    /** 16550-compatible (8250 family), byte registers. */
    NS16550A("ns16550a"),
    /** NVIDIA Tegra UART: 8250-compatible with registers 4 bytes apart ({@code reg-shift = 2}). */
    TEGRA("tegra"),
    /** Cadence UART (Xilinx xuartps). */
    CDNS("cdns"),
    /** NXP i.MX UART. */
    IMX("imx"),
    /** Amlogic Meson UART. */
    MESON("meson"),
    /** Samsung Exynos / S3C UART. */
    EXYNOS("exynos"),
    /** Broadcom BCM2835 auxiliary "mini UART". */
    BCM2835_AUX("bcm2835-aux");

    private final String configName;

    UartKind(String configName) {
        this.configName = configName;
    }

    /** @return the spelling used in board files */
    public String configName() {
        return configName;
    }

    /**
     * @param name a board file's spelling
     * @return the kind, if known
     */
    public static Optional<UartKind> fromConfigName(String name) {
        return Arrays.stream(values()).filter(k -> k.configName.equals(name)).findFirst();
    }
}
