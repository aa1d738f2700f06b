/* deos-like: COM1 at 115200 8N1, written by polling the line status register. */
#include "deos.h"

#define COM1 0x3f8

void serial_init(void)
{
    outb(COM1 + 1, 0x00);   /* no UART interrupts */
    outb(COM1 + 3, 0x80);   /* divisor latch */
    outb(COM1 + 0, 0x01);   /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8N1 */
    outb(COM1 + 2, 0x07);   /* FIFOs on and cleared */
}

void putc_serial(char c)
{
    if (c == '\n')
        putc_serial('\r');
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (uint8_t) c);
}

void puts_serial(const char *s)
{
    while (*s)
        putc_serial(*s++);
}

void put_dec(uint32_t v)
{
    char b[11];
    int i = 0;
    do {
        b[i++] = (char) ('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        putc_serial(b[--i]);
}

void put_hex(uint32_t v)
{
    puts_serial("0x");
    for (int s = 28; s >= 0; s -= 4)
        putc_serial("0123456789abcdef"[(v >> s) & 0xf]);
}

/* ip in host order */
void put_ip(uint32_t ip)
{
    for (int s = 24; s >= 0; s -= 8) {
        put_dec((ip >> s) & 0xff);
        if (s)
            putc_serial('.');
    }
}
