/*
 * console.c — the console line discipline: echo, line editing, cooked reads.
 *
 * Bytes arrive one at a time from the UART interrupt into a ring buffer:
 *
 *     buf:  ... [r ........ w ........ e) ...
 *               committed lines  line being edited
 *
 * r is where read() continues, w ends the last committed line and e is the
 * edit position. Backspace/DEL erase before e (never past w); ^U erases the
 * whole line; ^C drops the line being typed and, when a shell has named a
 * foreground process group (fgpgrp, job.c), kills that group's processes and
 * echoes "^C" and a newline; with no such group it commits an empty line
 * instead (a prompt just prompts again; ^C is never stored as a byte of a
 * command); ^P prints the process table (a debugging aid); CR becomes LF. A line is committed when LF or ^D arrives or
 * the buffer is full, and readers sleeping on &cons.r are woken. read()
 * returns at most one line; ^D at the start of a line is EOF (read returns
 * 0). Indices only grow; positions are taken modulo the size.
 *
 * Echo: while a reader waits for input, each byte is echoed as it arrives,
 * like a terminal. Bytes typed ahead while nobody reads (a script piped into
 * the console) are echoed only when read() consumes them, so a transcript
 * shows each command after the prompt that read it. `echoed` is the index
 * up to which bytes have been echoed.
 */
#include "kernel.h"
#include "spinlock.h"
#include "proc.h"

#define CONS_BUF 128
#define CTRL(x) ((x) - '@')

static struct {
    struct spinlock lock;
    char buf[CONS_BUF];
    uint32 r, w, e;
    uint32 echoed;
    int readers;      /* processes inside console_read */
    int fgpgrp;       /* foreground process group: ^C kills it (0 = none) */
} cons;

void console_init(void)
{
    spin_init(&cons.lock, "console");
}

static void echo_erase(void)
{
    uart_putc_sync('\b');
    uart_putc_sync(' ');
    uart_putc_sync('\b');
}

/* Echoes buffered bytes up to (not including) index limit. */
static void echo_upto(uint32 limit)
{
    for (; (int)(cons.echoed - limit) < 0; cons.echoed++) {
        char c = cons.buf[cons.echoed % CONS_BUF];
        if (c != CTRL('D'))
            uart_putc_sync(c);
    }
}

static void erase_one(void)
{
    cons.e--;
    if ((int)(cons.echoed - cons.e) > 0) {
        cons.echoed = cons.e;
        echo_erase();
    }
}

static void edit(int c)
{
    if (c == CTRL('P')) {
        proc_dump();            /* debugging aid: works even when all sleep */
    } else if (c == '\b' || c == 0x7f) {
        if (cons.e != cons.w)
            erase_one();
    } else if (c == CTRL('U')) {
        while (cons.e != cons.w)
            erase_one();
    } else if (c == CTRL('C')) {
        cons.e = cons.w;
        if ((int)(cons.echoed - cons.e) > 0)
            cons.echoed = cons.e;
        if (cons.fgpgrp && job_interrupt(cons.fgpgrp) > 0) {
            uart_putc_sync('^');
            uart_putc_sync('C');
            uart_putc_sync('\n');
        } else if (cons.readers > 0) {
            uart_putc_sync('^');
            uart_putc_sync('C');
        }
        if (!cons.fgpgrp)
            edit('\n');
    } else if (c != 0 && cons.e - cons.r < CONS_BUF) {
        cons.buf[cons.e++ % CONS_BUF] = (char)(c == '\r' ? '\n' : c);
        if (cons.readers > 0 && cons.w == cons.r)   /* the line a reader waits for */
            echo_upto(cons.e);
        if (c == '\n' || c == '\r' || c == CTRL('D') || cons.e - cons.r == CONS_BUF) {
            cons.w = cons.e;
            wakeup(&cons.r);
        }
    }
}

void console_intr(int c)
{
    acquire(&cons.lock);
    edit(c);
    release(&cons.lock);
}

/* Sleeps until a committed line is available; -1 if killed meanwhile. */
static int wait_for_line(struct proc *p)
{
    while (cons.r == cons.w) {
        if (proc_killed(p))
            return -1;
        echo_upto(cons.e);     /* a partial line typed ahead */
        sleep(&cons.r, &cons.lock);
    }
    return 0;
}

/* Moves up to n bytes of the next line to udst; -2 on a bad pointer. */
static int copy_line(struct proc *p, uint64 udst, int n)
{
    int got = 0;
    while (got < n && cons.r != cons.w) {
        char c = cons.buf[cons.r % CONS_BUF];
        if (c == CTRL('D')) {
            if (got == 0)
                cons.r++;     /* EOF is consumed only when it is alone */
            break;
        }
        if (copyout(p->pagetable, udst + got, &c, 1) < 0)
            return -2;
        cons.r++, got++;
        if (c == '\n')
            break;
    }
    return got;
}

/* Copies one line (at most n bytes) to user address udst. */
int console_read(uint64 udst, int n)
{
    struct proc *p = myproc();
    acquire(&cons.lock);
    cons.readers++;
    int got = wait_for_line(p);
    if (got == 0)
        got = copy_line(p, udst, n);
    echo_upto(cons.r);
    cons.readers--;
    release(&cons.lock);
    return got == -2 ? user_fault(udst, "read") : got;
}

/* Writes n bytes from user address usrc; whole writes never interleave. */
int console_write(uint64 usrc, int n)
{
    struct proc *p = myproc();
    char chunk[64];
    acquire(&cons.lock);
    for (int done = 0; done < n;) {
        int k = n - done < (int)sizeof chunk ? n - done : (int)sizeof chunk;
        if (copyin(p->pagetable, chunk, usrc + done, k) < 0) {
            release(&cons.lock);
            return user_fault(usrc + done, "write");
        }
        for (int i = 0; i < k; i++)
            uart_putc_sync(chunk[i]);
        done += k;
    }
    release(&cons.lock);
    return n;
}

/* Sets the foreground process group (0 = none); returns the previous one. */
int console_fgpgrp(int pgid)
{
    acquire(&cons.lock);
    int old = cons.fgpgrp;
    cons.fgpgrp = pgid;
    release(&cons.lock);
    return old;
}
