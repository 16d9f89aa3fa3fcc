/*
 * heapabuse.c — misuses the heap on purpose, to show that malloc's checks
 * (user/malloc.c) stop the program with one line and nothing else breaks.
 *
 *   heapabuse double     free the same block twice
 *   heapabuse overflow   write one byte past the end of a block, then free it
 *   heapabuse smash      run 100 bytes past a block, through the next one's header
 *   heapabuse badfree    free a pointer into the middle of a block
 *   heapabuse uaf        realloc a block after freeing it
 *   heapabuse ok         an honest workload (a list of 1000 nodes) for contrast
 *   heapabuse oom        grow the heap with sbrk 1 MiB at a time until it is
 *                        refused (HEAP_MAX, or no free frames on a small machine):
 *                        the refused call must give back every frame it took
 *
 * Each abuse prints "heapabuse: MODE" first; the next line must be malloc's
 * "heapabuse: heap: ...; killed". If the program survives the abuse it
 * prints "heapabuse: MODE NOT CAUGHT" and exits 1.
 */
#include "user.h"

struct node {
    struct node *next;
    int value;
};

static int honest(void)
{
    struct node *head = 0;
    long sum = 0;
    for (int i = 1; i <= 1000; i++) {
        struct node *n = malloc(sizeof *n);
        if (!n)
            return 1;
        n->value = i;
        n->next = head;
        head = n;
    }
    while (head) {
        struct node *n = head;
        sum += n->value;
        head = n->next;
        free(n);
    }
    struct mallstat st;
    malloc_check(&st);
    printf("heapabuse: ok sum %ld, %ld blocks in use, %ld free\n", sum, st.used_blocks, st.free_blocks);
    return sum == 500500 && st.used_blocks == 0 ? 0 : 1;
}

#define MIB (1L << 20)

static int oom(void)
{
    struct sysinfo before, after;
    long got = 0;
    for (;;) {
        sysinfo(&before);
        if (sbrk(MIB) == -1)
            break;
        got += MIB;
    }
    sysinfo(&after);
    int limit = got == 16 * MIB;               /* kernel/memlayout.h HEAP_MAX */
    printf("heapabuse: oom: %ld KiB, then refused (%s), free pages %ld before the refused call, %ld after\n",
           got >> 10, limit ? "the heap limit" : "out of frames", before.free_pages, after.free_pages);
    char *p = (char *)sbrk(0) - 1;
    *p = 1;                                    /* the heap is still usable */
    return before.free_pages == after.free_pages && sbrk(-got) != -1 ? 0 : 1;
}

static void abuse(const char *mode)
{
    char *p = malloc(40);
    malloc(40);                       /* p's neighbour, for smash */
    if (strcmp(mode, "double") == 0) {
        free(p);
        free(p);
    } else if (strcmp(mode, "overflow") == 0) {
        memset(p, 'A', 41);
        free(p);
    } else if (strcmp(mode, "smash") == 0) {
        memset(p, 'A', 140);          /* through q's header */
        free(p);
    } else if (strcmp(mode, "badfree") == 0) {
        free(p + 8);
    } else if (strcmp(mode, "uaf") == 0) {
        free(p);
        p = realloc(p, 80);
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "ok") == 0)
        return honest();
    if (strcmp(mode, "oom") == 0)
        return oom();
    static const char *modes[] = {"double", "overflow", "smash", "badfree", "uaf"};
    for (unsigned i = 0; i < ARRAY_SIZE(modes); i++) {
        if (strcmp(mode, modes[i]) == 0) {
            printf("heapabuse: %s\n", mode);
            abuse(mode);
            printf("heapabuse: %s NOT CAUGHT\n", mode);
            return 1;
        }
    }
    printf("usage: heapabuse double|overflow|smash|badfree|uaf|ok|oom\n");
    return 2;
}
