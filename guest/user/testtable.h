/*
 * testtable.h — the table runner of the in-guest test programs (fstests,
 * kvtests). A test is a named function that returns 0 if it passed, else
 * the step that failed (a line number, a step number). run_table runs the
 * table in order, or only the test named on the command line, and prints
 * one line per test:
 *
 *     <label> NAME: PASS
 *     <label> NAME: FAIL (<step word> N)
 *
 * The program then prints its own summary (fstests adds what fsck said)
 * and table_verdict the last line, "ALL TESTS PASSED" or "SOME TESTS
 * FAILED", which the JUnit tests that boot the program look for.
 */
#ifndef TINYOS_TESTTABLE_H
#define TINYOS_TESTTABLE_H
#include "user.h"

struct test {
    const char *name;
    int (*fn)(void);
};

struct test_counts {
    int passed, ran;
};

/* Runs the n tests of t (only the one named only, if not null) and prints a line for each. */
static struct test_counts run_table(const struct test *t, unsigned n, const char *only, const char *label,
                                    const char *step)
{
    struct test_counts c = {0, 0};
    for (unsigned i = 0; i < n; i++) {
        if (only && strcmp(only, t[i].name) != 0)
            continue;
        c.ran++;
        int r = t[i].fn();
        c.passed += r == 0;
        if (r == 0)
            printf("%s %s: PASS\n", label, t[i].name);
        else
            printf("%s %s: FAIL (%s %d)\n", label, t[i].name, step, r);
    }
    return c;
}

/* Prints the last line; the exit status: 0 only if a test ran, all passed and ok holds. */
static int table_verdict(struct test_counts c, int ok)
{
    int all = c.ran > 0 && c.passed == c.ran && ok;
    printf(all ? "ALL TESTS PASSED\n" : "SOME TESTS FAILED\n");
    return all ? 0 : 1;
}
#endif
