package dev.sel4sim.virtio.mem;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Guest memory over one or more {@link MemorySegment} regions at guest-physical bases: the VMM's off-heap
 * guest RAM, seen by devices without copying. Regions may not overlap; an access must lie within one region.
 */
public final class SegmentGuestMemory implements GuestMemory {
    private final GuestRegion[] regions;
    private final String description;

    /** @param regions RAM regions, in any order; they must not overlap */
    public SegmentGuestMemory(List<GuestRegion> regions) {
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("guest memory needs at least one RAM region");
        }
        List<GuestRegion> sorted = new ArrayList<>(regions);
        sorted.sort(Comparator.comparingLong(GuestRegion::base));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).base() < sorted.get(i - 1).end()) {
                throw new IllegalArgumentException("guest RAM regions overlap: " + sorted.get(i - 1) + " and " + sorted.get(i));
            }
        }
        this.regions = sorted.toArray(GuestRegion[]::new);
        this.description = sorted.stream().map(GuestRegion::toString).collect(Collectors.joining(", ", "RAM ", ""));
    }

    /** @return guest memory made of a single region at {@code base} */
    public static SegmentGuestMemory of(long base, MemorySegment segment) {
        return new SegmentGuestMemory(List.of(new GuestRegion(base, segment)));
    }

    /** @return the regions, lowest base first */
    public List<GuestRegion> regions() {
        return List.of(regions);
    }

    @Override
    public boolean contains(long gpa, long length) {
        return find(gpa, length) != null;
    }

    @Override
    public MemorySegment slice(long gpa, long length) {
        GuestRegion r = find(gpa, length);
        if (r == null) {
            throw new GuestMemoryException(gpa, length, description);
        }
        return r.segment().asSlice(gpa - r.base(), length);
    }

    private GuestRegion find(long gpa, long length) {
        for (GuestRegion r : regions) {
            if (r.contains(gpa, length)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return description;
    }
}
