/*
 * deos-like: just enough IPv4 over Ethernet for one address: it answers ARP requests and ICMP
 * echo requests for it, learns the peer's MAC from the peer's ARP traffic, and sends UDP
 * datagrams to the peer (an ARP request first, while the peer's MAC is unknown).
 */
#include "deos.h"

#define ETH_ARP 0x0806
#define ETH_IP 0x0800
#define IP_ICMP 1
#define IP_UDP 17

struct eth { uint8_t dst[6], src[6]; uint16_t type; } __attribute__((packed));
struct arp {
    uint16_t htype, ptype;
    uint8_t hlen, plen;
    uint16_t oper;
    uint8_t sha[6];
    uint32_t spa;
    uint8_t tha[6];
    uint32_t tpa;
} __attribute__((packed));
struct ip {
    uint8_t vihl, tos;
    uint16_t len, id, frag;
    uint8_t ttl, proto;
    uint16_t sum;
    uint32_t src, dst;
} __attribute__((packed));
struct icmp { uint8_t type, code; uint16_t sum, id, seq; } __attribute__((packed));
struct udp { uint16_t sport, dport, len, sum; } __attribute__((packed));

static const uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static uint8_t my_mac[6], peer_mac[6];
static int peer_known;
static uint32_t my_ip, peer_ip;     /* network order */
static uint16_t udp_port;           /* network order */
static uint16_t ip_id;
static uint8_t out[1514];

void net_init(const uint8_t mac[6], uint32_t ip, uint32_t peer, uint16_t port)
{
    memcpy(my_mac, mac, 6);
    my_ip = htonl(ip);
    peer_ip = htonl(peer);
    udp_port = htons(port);
}

/* The Internet checksum (RFC 1071) of a buffer, continuing from a partial sum. */
static uint16_t checksum(const void *data, uint32_t len, uint32_t sum)
{
    const uint8_t *p = data;
    for (; len > 1; p += 2, len -= 2)
        sum += (uint32_t) (p[0] << 8 | p[1]);
    if (len)
        sum += (uint32_t) (p[0] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return htons((uint16_t) ~sum);
}

static void eth_header(const uint8_t *dst, uint16_t type)
{
    struct eth *e = (struct eth *) out;
    memcpy(e->dst, dst, 6);
    memcpy(e->src, my_mac, 6);
    e->type = htons(type);
}

static void send_arp(uint16_t oper, const uint8_t *tha, uint32_t tpa)
{
    eth_header(oper == 1 ? broadcast : tha, ETH_ARP);
    struct arp *a = (struct arp *) (out + sizeof(struct eth));
    a->htype = htons(1);
    a->ptype = htons(ETH_IP);
    a->hlen = 6;
    a->plen = 4;
    a->oper = htons(oper);
    memcpy(a->sha, my_mac, 6);
    a->spa = my_ip;
    memcpy(a->tha, oper == 1 ? (const uint8_t *) "\0\0\0\0\0\0" : tha, 6);
    a->tpa = tpa;
    virtio_net_send(out, sizeof(struct eth) + sizeof(struct arp));
}

static void arp_input(const struct arp *a, uint32_t len)
{
    if (len < sizeof(*a) || a->htype != htons(1) || a->ptype != htons(ETH_IP) || a->hlen != 6 || a->plen != 4)
        return;
    if (a->spa == peer_ip) {
        memcpy(peer_mac, a->sha, 6);
        peer_known = 1;
    }
    if (a->oper == htons(1) && a->tpa == my_ip)
        send_arp(2, a->sha, a->spa);
}

static void ip_header(struct ip *ip, uint8_t proto, uint32_t dst, uint32_t payload)
{
    ip->vihl = 0x45;
    ip->tos = 0;
    ip->len = htons((uint16_t) (sizeof(*ip) + payload));
    ip->id = htons(ip_id++);
    ip->frag = htons(0x4000);       /* don't fragment */
    ip->ttl = 64;
    ip->proto = proto;
    ip->sum = 0;
    ip->src = my_ip;
    ip->dst = dst;
    ip->sum = checksum(ip, sizeof(*ip), 0);
}

static void icmp_input(const struct eth *e, const struct ip *ip, const uint8_t *body, uint32_t len)
{
    const struct icmp *req = (const struct icmp *) body;
    if (len < sizeof(*req) || req->type != 8 || len > sizeof(out) - sizeof(struct eth) - sizeof(struct ip))
        return;
    if (checksum(body, len, 0) != 0)
        return;
    eth_header(e->src, ETH_IP);
    struct ip *rip = (struct ip *) (out + sizeof(struct eth));
    uint8_t *rbody = (uint8_t *) (rip + 1);
    memcpy(rbody, body, len);
    struct icmp *rep = (struct icmp *) rbody;
    rep->type = 0;
    rep->sum = 0;
    rep->sum = checksum(rbody, len, 0);
    ip_header(rip, IP_ICMP, ip->src, len);
    virtio_net_send(out, sizeof(struct eth) + sizeof(struct ip) + len);
}

static void ip_input(const struct eth *e, const struct ip *ip, uint32_t len)
{
    if (len < sizeof(*ip) || ip->vihl < 0x45 || (ip->vihl >> 4) != 4 || ip->dst != my_ip)
        return;
    uint32_t hl = (ip->vihl & 0xf) * 4u, total = htons(ip->len);
    if (hl > len || total > len || total < hl || checksum(ip, hl, 0) != 0)
        return;
    if (ip->frag & htons(0x3fff))
        return;                     /* fragments are not reassembled */
    if (ip->proto == IP_ICMP)
        icmp_input(e, ip, (const uint8_t *) ip + hl, total - hl);
}

void net_input(const uint8_t *frame, uint32_t len)
{
    const struct eth *e = (const struct eth *) frame;
    if (len < sizeof(*e))
        return;
    if (memcmp(e->dst, my_mac, 6) != 0 && memcmp(e->dst, broadcast, 6) != 0)
        return;
    if (e->type == htons(ETH_ARP))
        arp_input((const struct arp *) (e + 1), len - sizeof(*e));
    else if (e->type == htons(ETH_IP))
        ip_input(e, (const struct ip *) (e + 1), len - sizeof(*e));
}

void net_send_udp(const void *payload, uint32_t len)
{
    if (!peer_known) {
        send_arp(1, broadcast, peer_ip);
        return;
    }
    if (len > sizeof(out) - sizeof(struct eth) - sizeof(struct ip) - sizeof(struct udp))
        return;
    eth_header(peer_mac, ETH_IP);
    struct ip *ip = (struct ip *) (out + sizeof(struct eth));
    struct udp *u = (struct udp *) (ip + 1);
    memcpy(u + 1, payload, len);
    u->sport = udp_port;
    u->dport = udp_port;
    u->len = htons((uint16_t) (sizeof(*u) + len));
    u->sum = 0;
    /* The pseudo-header: source, destination, protocol, UDP length. */
    uint32_t pseudo = (htonl(my_ip) >> 16) + (htonl(my_ip) & 0xffff) + (htonl(peer_ip) >> 16)
            + (htonl(peer_ip) & 0xffff) + IP_UDP + (uint32_t) (sizeof(*u) + len);
    u->sum = checksum(u, sizeof(*u) + len, pseudo);
    if (u->sum == 0)
        u->sum = 0xffff;
    ip_header(ip, IP_UDP, peer_ip, sizeof(*u) + len);
    virtio_net_send(out, sizeof(struct eth) + sizeof(struct ip) + sizeof(struct udp) + len);
}
