/* deos-like: Multiboot 1 entry and the interrupt entry stubs. */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000003          /* page-align modules, give the memory map */

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .text
    .globl _start
_start:
    /* EAX = bootloader magic, EBX = Multiboot information (physical = linear here). */
    mov $stack_top, %esp
    push %ebx
    push %eax
    call kmain
1:  cli
    hlt
    jmp 1b

/* Each stub saves the registers the C code may clobber, calls its handler and returns. */
.macro ISR name, handler
    .globl \name
\name:
    pushal
    cld
    call \handler
    popal
    iret
.endm

    ISR timer_isr, timer_interrupt
    ISR net_isr, net_interrupt
    ISR unexpected_isr, unexpected_interrupt

    .globl spurious_isr
spurious_isr:
    iret

    .bss
    .align 16
    .space 16384
stack_top:
    .section .note.GNU-stack, "", @progbits
