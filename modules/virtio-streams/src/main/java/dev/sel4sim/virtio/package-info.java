/** Virtqueues over guest memory and virtio devices whose backends are Pekko Streams stages (issue 4). */
package dev.sel4sim.virtio;
