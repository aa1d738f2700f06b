/*
 * deos-like: a virtio-net driver over virtio-mmio (virtio 1.x section 4.2), for both register
 * layouts: legacy (version 1: GuestPageSize, QueuePFN) and modern (version 2: FEATURES_OK,
 * 64-bit queue addresses, QueueReady). One receive and one transmit queue of QSIZE buffers each,
 * in static memory; no offloads, so every frame carries a zeroed virtio-net header.
 */
#include "deos.h"

#define MAGIC 0x000
#define VERSION 0x004
#define DEVICE_ID 0x008
#define DEVICE_FEATURES 0x010
#define DEVICE_FEATURES_SEL 0x014
#define DRIVER_FEATURES 0x020
#define DRIVER_FEATURES_SEL 0x024
#define GUEST_PAGE_SIZE 0x028
#define QUEUE_SEL 0x030
#define QUEUE_NUM_MAX 0x034
#define QUEUE_NUM 0x038
#define QUEUE_ALIGN 0x03c
#define QUEUE_PFN 0x040
#define QUEUE_READY 0x044
#define QUEUE_NOTIFY 0x050
#define INTERRUPT_STATUS 0x060
#define INTERRUPT_ACK 0x064
#define STATUS 0x070
#define QUEUE_DESC 0x080
#define QUEUE_DRIVER 0x090
#define QUEUE_DEVICE 0x0a0
#define CONFIG 0x100

#define S_ACKNOWLEDGE 1
#define S_DRIVER 2
#define S_DRIVER_OK 4
#define S_FEATURES_OK 8
#define F_MAC (1u << 5)
#define F_VERSION_1_HIGH (1u << 0)    /* feature bit 32 */
#define DESC_WRITE 2

#define QSIZE 16
#define BUF 2048
#define PAGE 4096
#define RX 0
#define TX 1

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[QSIZE], used_event; };
struct used_elem { uint32_t id, len; };
struct used { uint16_t flags, idx; struct used_elem ring[QSIZE]; uint16_t avail_event; };

/* The legacy layout: descriptors and the available ring in one page, the used ring on the next. */
struct queue {
    struct desc desc[QSIZE];
    struct avail avail;
    uint8_t pad[PAGE - sizeof(struct desc) * QSIZE - sizeof(struct avail)];
    struct used used;
} __attribute__((aligned(PAGE)));

static struct queue queues[2];
static uint8_t rx_buf[QSIZE][BUF];
static uint8_t tx_buf[QSIZE][BUF];
static uint16_t rx_seen, tx_seen, tx_next;
static uintptr_t dev;
static int version;
static uint32_t header;             /* 12 bytes with VERSION_1, 10 without */

static uint32_t rd(uint32_t off) { return mmio_read32(dev + off); }
static void wr(uint32_t off, uint32_t v) { mmio_write32(dev + off, v); }

int virtio_net_version(void) { return version; }

static int setup_queue(int q)
{
    struct queue *vq = &queues[q];
    wr(QUEUE_SEL, (uint32_t) q);
    if (rd(QUEUE_NUM_MAX) < QSIZE)
        return -1;
    wr(QUEUE_NUM, QSIZE);
    if (version == 1) {
        wr(QUEUE_ALIGN, PAGE);
        wr(QUEUE_PFN, (uint32_t) (uintptr_t) vq / PAGE);
    } else {
        wr(QUEUE_DESC, (uint32_t) (uintptr_t) vq->desc);
        wr(QUEUE_DESC + 4, 0);
        wr(QUEUE_DRIVER, (uint32_t) (uintptr_t) &vq->avail);
        wr(QUEUE_DRIVER + 4, 0);
        wr(QUEUE_DEVICE, (uint32_t) (uintptr_t) &vq->used);
        wr(QUEUE_DEVICE + 4, 0);
        wr(QUEUE_READY, 1);
    }
    return 0;
}

static void post_rx(uint16_t id)
{
    struct queue *q = &queues[RX];
    q->desc[id].addr = (uintptr_t) rx_buf[id];
    q->desc[id].len = BUF;
    q->desc[id].flags = DESC_WRITE;
    q->avail.ring[q->avail.idx % QSIZE] = id;
    barrier();
    q->avail.idx++;
}

/* 0 when the device is driven; a negative step number where it refused. */
int virtio_net_init(uintptr_t base)
{
    dev = base;
    if (rd(MAGIC) != 0x74726976 || rd(DEVICE_ID) != 1)
        return -1;
    version = (int) rd(VERSION);
    if (version != 1 && version != 2)
        return -2;
    header = version == 2 ? 12 : 10;
    wr(STATUS, 0);
    wr(STATUS, S_ACKNOWLEDGE);
    wr(STATUS, S_ACKNOWLEDGE | S_DRIVER);
    wr(DEVICE_FEATURES_SEL, 0);
    uint32_t low = rd(DEVICE_FEATURES) & F_MAC;
    wr(DRIVER_FEATURES_SEL, 0);
    wr(DRIVER_FEATURES, low);
    if (version == 2) {
        wr(DEVICE_FEATURES_SEL, 1);
        if (!(rd(DEVICE_FEATURES) & F_VERSION_1_HIGH))
            return -3;
        wr(DRIVER_FEATURES_SEL, 1);
        wr(DRIVER_FEATURES, F_VERSION_1_HIGH);
        wr(STATUS, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
        if (!(rd(STATUS) & S_FEATURES_OK))
            return -4;
    } else {
        wr(GUEST_PAGE_SIZE, PAGE);
    }
    if (setup_queue(RX) || setup_queue(TX))
        return -5;
    for (uint16_t i = 0; i < QSIZE; i++)
        post_rx(i);
    wr(STATUS, rd(STATUS) | S_DRIVER_OK);
    wr(QUEUE_NOTIFY, RX);
    return 0;
}

void virtio_net_mac(uint8_t mac[6])
{
    for (int i = 0; i < 6; i++)
        mac[i] = mmio_read8(dev + CONFIG + (uint32_t) i);
}

void virtio_net_ack(void)
{
    wr(INTERRUPT_ACK, rd(INTERRUPT_STATUS));
}

/* Copies the frame behind a zeroed header; drops it (returns -1) while every buffer is in flight. */
int virtio_net_send(const void *frame, uint32_t len)
{
    struct queue *q = &queues[TX];
    while (tx_seen != q->used.idx)      /* reclaim what the device is done with */
        tx_seen++;
    if ((uint16_t) (tx_next - tx_seen) >= QSIZE || len + header > BUF)
        return -1;
    uint16_t id = tx_next % QSIZE;
    memset(tx_buf[id], 0, header);
    memcpy(tx_buf[id] + header, frame, len);
    q->desc[id].addr = (uintptr_t) tx_buf[id];
    q->desc[id].len = header + len;
    q->desc[id].flags = 0;
    q->avail.ring[q->avail.idx % QSIZE] = id;
    barrier();
    q->avail.idx++;
    tx_next++;
    barrier();
    wr(QUEUE_NOTIFY, TX);
    return 0;
}

int virtio_net_poll(void)
{
    struct queue *q = &queues[RX];
    int n = 0;
    while (rx_seen != q->used.idx) {
        barrier();
        struct used_elem e = q->used.ring[rx_seen % QSIZE];
        rx_seen++;
        if (e.id < QSIZE && e.len > header && e.len <= BUF)
            net_input(rx_buf[e.id] + header, e.len - header);
        if (e.id < QSIZE)
            post_rx((uint16_t) e.id);
        n++;
    }
    if (n)
        wr(QUEUE_NOTIFY, RX);
    return n;
}
