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
 * command). ^C is ordered with the bytes around it: typed while earlier
 * lines are still unread (a script "sleep 9\n^Cecho x\n" typed ahead), it
 * is queued as a mark at its place in the stream and takes effect once the
 * reader has consumed everything before it and a foreground group is set
 * (when the shell has read "sleep 9" and started it); a reader that reads
 * past a mark (no job was started) drops it. Typed with nothing unread, the
 * mark is due at once; a ^C that discarded a partial line typed ahead is
 * only that (an edit); ^P prints the process table (a debugging aid); CR becomes LF. A line is committed when LF or ^D arrives or
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

#define CONS_BUF 2048      /* room for a scripted session typed ahead (bytes beyond it are dropped) */
#define CTRL(x) ((x) - '@')
#define NMARK 8

static struct {
    struct spinlock lock;
    char buf[CONS_BUF];
    uint32 r, w, e;
    uint32 echoed;
    int readers;      /* processes inside console_read */
    int fgpgrp;       /* foreground process group: ^C kills it (0 = none) */
    uint32 marks[NMARK]; /* stream positions of queued ^Cs, oldest first */
    int nmarks;
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

static void drop_mark(void)
{
    cons.nmarks--;
    memmove(cons.marks, cons.marks + 1, cons.nmarks * sizeof cons.marks[0]);
}

/* Delivers the oldest ^C if the reader has reached it and a foreground group is set. */
static void interrupt_due(void)
{
    if (cons.nmarks == 0 || !cons.fgpgrp || (int)(cons.r - cons.marks[0]) < 0)
        return;
    drop_mark();
    if (job_interrupt(cons.fgpgrp) > 0) {   /* kill the group (job.c) and say so */
        uart_putc_sync('^');
        uart_putc_sync('C');
        uart_putc_sync('\n');
    }
}

static void queue_mark(void)
{
    if (cons.nmarks < NMARK)
        cons.marks[cons.nmarks++] = cons.w;
    interrupt_due();
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
        int partial = cons.e != cons.w;
        cons.e = cons.w;
        if ((int)(cons.echoed - cons.e) > 0)
            cons.echoed = cons.e;
        if (cons.fgpgrp && cons.r == cons.w) {
            queue_mark();                          /* due at once: kills the job */
        } else if (cons.readers > 0 && cons.r == cons.w) {   /* a prompt waits for this line */
            uart_putc_sync('^');
            uart_putc_sync('C');
            edit('\n');
        } else if (!partial) {
            queue_mark();                          /* typed ahead at a line boundary */
        }
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
    while (cons.nmarks > 0 && (int)(cons.r - cons.marks[0]) > 0)
        drop_mark();           /* read past: that ^C started no job */
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
    interrupt_due();
    release(&cons.lock);
    return old;
}
