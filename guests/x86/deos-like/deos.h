/* deos-like: shared declarations of a tiny freestanding i386 guest. */
#ifndef DEOS_H
#define DEOS_H

#include <stdint.h>
#include <stddef.h>

#define barrier() __asm__ volatile("" ::: "memory")

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t mmio_read32(uintptr_t a) { return *(volatile uint32_t *) a; }
static inline void mmio_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t *) a = v; }
static inline uint8_t mmio_read8(uintptr_t a) { return *(volatile uint8_t *) a; }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
/* STI takes effect after the next instruction: no interrupt slips in between the check and HLT. */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

static inline uint16_t htons(uint16_t v) { return (uint16_t) (v << 8 | v >> 8); }
static inline uint32_t htonl(uint32_t v) { return __builtin_bswap32(v); }

void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* serial.c: COM1, polled */
void serial_init(void);
void putc_serial(char c);
void puts_serial(const char *s);
void put_dec(uint32_t v);
void put_hex(uint32_t v);
void put_ip(uint32_t ip);

/* apic.c: the local APIC timer and where the network interrupt comes from */
#define TIMER_VECTOR 0x40
#define NET_VECTOR 0x41
#define PIC_BASE 0x20
void pic_init(void);
void lapic_init(void);
void lapic_timer_start(uint32_t hz);
void lapic_eoi(void);
int ioapic_present(void);
void ioapic_route_level(int pin, int vector);
void pic_unmask_level(int irq);
void pic_eoi(int irq);

/* virtio_net.c: one virtio-net device over virtio-mmio, legacy or modern */
int virtio_net_init(uintptr_t base);
void virtio_net_mac(uint8_t mac[6]);
int virtio_net_send(const void *frame, uint32_t len);
/* Hands each received frame to net_input; returns how many. */
int virtio_net_poll(void);
void virtio_net_ack(void);
int virtio_net_version(void);

/* net.c: ARP, ICMP echo and UDP over Ethernet, for one IPv4 address */
void net_init(const uint8_t mac[6], uint32_t ip, uint32_t peer, uint16_t port);
void net_input(const uint8_t *frame, uint32_t len);
void net_send_udp(const void *payload, uint32_t len);

#endif
