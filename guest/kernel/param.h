/*
 * param.h — compile-time limits and tunables of the kernel.
 */
#ifndef TINYOS_PARAM_H
#define TINYOS_PARAM_H

#define NPROC 64               /* process table size */
#define TICK_HZ 100            /* timer interrupts per second */
#define MTIME_HZ 10000000UL    /* CLINT mtime frequency on virt */
#define DEFAULT_QUANTUM 2      /* ticks a process may run before preemption */
#define MAXARG 16              /* exec: maximum argv entries */
#define MAXARGLEN 128          /* exec: maximum length of one argument */
#define PROC_NAME_LEN 16
#define NOFILE 16             /* open descriptors per process */

#endif
