/*
 * sh.c — the shell: /bin/sh, started (and restarted) by init.
 *
 * A line goes through three stages, each with static storage (no heap):
 *
 *   read_line ──> lex: words and operators ──> parse: jobs of commands ──> run
 *
 * Lexing. Words are split at blanks; '...' quotes literally, "..." quotes
 * but expands $?, a backslash quotes the next character. $? is expanded
 * when its command is about to run (`false; echo $?` prints 1). Operators:
 *   |  ||  &  &&  ;  <  >  >>  2>
 * ("2>" only where a word would start). An unterminated quote is an error.
 *
 * Parsing. line := job { (';' | '&' | '&&' | '||') job } [';' | '&'];
 * job := command { '|' command }; command := word/redirection items with at
 * least one word. A job ended by '&' runs in the background. Any violation
 * is reported in one line ("sh: syntax error near '|'") and nothing runs.
 *
 * Running. Each command of a job is a forked child: its stdin/stdout are
 * pipe ends (kernel pipes), then its redirections are applied with open +
 * dup2, then it execs argv[0] (the kernel searches /bin for a bare name; an
 * unknown name is "sh: NAME: command not found"). All processes of a job
 * join one process group, named after its first process; a foreground job's
 * group is handed to the console (fgpgrp), so Ctrl-C kills it and not the
 * shell. The shell waits for every process of a foreground job; $? is the
 * exit status of its last command (-1 if it was killed). Background jobs
 * print "[pid]" when started and "[pid] done (status)" once reaped: by a
 * foreground wait, or before the next prompt (waitnb).
 *
 * Built-ins (run in the shell itself, output redirection honoured): cd
 * [dir] (default /), pwd, exit [status]. `&&` runs the next job only if $?
 * is 0, `||` only if it is not.
 *
 * Line editing is the console's (kernel/console.c): backspace, Ctrl-U, and
 * Ctrl-D at an empty line, which reads as end of input and ends the shell
 * (init starts a new one).
 */
#include "user.h"
#include "../lib/fmt.h"

#define MAXARG_SH 16            /* the kernel's MAXARG */

#define LINE_MAX 512
#define MAXTOK 64
#define MAXCMD 16
#define MAXJOB 16
#define MAXPIPE 8

enum { T_WORD, T_PIPE, T_OR, T_BG, T_AND, T_SEMI, T_IN, T_OUT, T_APPEND, T_ERR, T_END };
static const char *tok_names[] = {"word", "|", "||", "&", "&&", ";", "<", ">", ">>", "2>", "newline"};

struct token {
    int type;
    char *word;
};

struct cmd {
    char *argv[MAXARG_SH + 1];
    int argc;
    char *in, *out, *err;
    int append;
};

struct job {
    int first, ncmd;        /* cmds[first .. first + ncmd) */
    int bg;
    int when;               /* T_SEMI (always), T_AND, T_OR: the connector before it */
};

static char words[LINE_MAX * 2];
static struct token toks[MAXTOK];
static struct cmd cmds[MAXCMD];
static struct job jobs[MAXJOB];
static int ntok, ncmds, njobs;
static int last_status;

static void error(const char *what, const char *detail)
{
    dprintf(2, "sh: %s%s%s\n", what, detail ? " " : "", detail ? detail : "");
}

/* ---- lexing ---- */

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }
static int is_special(char c) { return c == '|' || c == '&' || c == ';' || c == '<' || c == '>'; }

/* $? is kept as this byte until the command runs (expand): `false; echo $?` prints 1. */
#define STATUS_MARK '\001'

static char *put_status(char *w)
{
    *w++ = STATUS_MARK;
    return w;
}

/* Reads an operator at *s; its type, advancing *s. */
static int lex_op(const char **s)
{
    const char *p = *s;
    int t = T_END;
    if (p[0] == '2' && p[1] == '>')
        t = T_ERR, p += 2;
    else if (p[0] == '|')
        t = p[1] == '|' ? (p += 2, T_OR) : (p++, T_PIPE);
    else if (p[0] == '&')
        t = p[1] == '&' ? (p += 2, T_AND) : (p++, T_BG);
    else if (p[0] == ';')
        t = T_SEMI, p++;
    else if (p[0] == '<')
        t = T_IN, p++;
    else if (p[0] == '>')
        t = p[1] == '>' ? (p += 2, T_APPEND) : (p++, T_OUT);
    *s = p;
    return t;
}

/* Reads one word at *s into *w (NUL-terminated); 0, or -1 on an open quote. */
static int lex_word(const char **s, char **w)
{
    const char *p = *s;
    char *o = *w;
    while (*p && !is_blank(*p) && !is_special(*p)) {
        char q = *p;
        if (q == '\\' && p[1]) {
            *o++ = p[1], p += 2;
        } else if (q == '\'' || q == '"') {
            for (p++; *p && *p != q; p++)
                if (q == '"' && p[0] == '$' && p[1] == '?')
                    o = put_status(o), p++;
                else
                    *o++ = *p;
            if (!*p)
                return -1;
            p++;
        } else if (q == '$' && p[1] == '?') {
            o = put_status(o), p += 2;
        } else {
            *o++ = *p++;
        }
    }
    *o++ = 0;
    *s = p;
    *w = o;
    return 0;
}

static int lex(const char *s)
{
    char *w = words;
    ntok = 0;
    for (;;) {
        while (is_blank(*s))
            s++;
        if (ntok == MAXTOK - 1)
            return error("line has too many words", 0), -1;
        if (!*s)
            break;
        int two = s[0] == '2' && s[1] == '>';
        toks[ntok].word = w;
        if (two || is_special(*s))
            toks[ntok++].type = lex_op(&s);
        else if (lex_word(&s, &w) < 0)
            return error("syntax error: unterminated quote", 0), -1;
        else
            toks[ntok++].type = T_WORD;
    }
    toks[ntok].type = T_END;
    return 0;
}

/* ---- parsing ---- */

static int syntax_error(int i)
{
    char near[40];
    fmt_snprintf(near, sizeof near, "near '%s'", tok_names[toks[i].type]);
    error("syntax error", near);
    return -1;
}

/* Parses one command at toks[*i]; -1 on a syntax error. */
static int parse_cmd(int *i)
{
    if (ncmds == MAXCMD)
        return error("line has too many commands", 0), -1;
    struct cmd *c = &cmds[ncmds++];
    memset(c, 0, sizeof *c);
    for (;; (*i)++) {
        int t = toks[*i].type;
        if (t == T_WORD && c->argc < MAXARG_SH) {
            c->argv[c->argc++] = toks[*i].word;
        } else if (t == T_IN || t == T_OUT || t == T_APPEND || t == T_ERR) {
            if (toks[*i + 1].type != T_WORD)
                return syntax_error(*i + 1);
            char *f = toks[++*i].word;
            if (t == T_IN)
                c->in = f;
            else if (t == T_ERR)
                c->err = f;
            else
                c->out = f, c->append = t == T_APPEND;
        } else {
            break;
        }
    }
    return c->argc > 0 ? 0 : syntax_error(*i);
}

/* Parses a job (a pipeline) and what ends it. */
static int parse_job(int *i, int when)
{
    if (njobs == MAXJOB)
        return error("line has too many jobs", 0), -1;
    struct job *j = &jobs[njobs++];
    j->first = ncmds;
    j->when = when;
    j->bg = 0;
    if (parse_cmd(i) < 0)
        return -1;
    while (toks[*i].type == T_PIPE) {
        (*i)++;
        if (parse_cmd(i) < 0)
            return -1;
    }
    j->ncmd = ncmds - j->first;
    if (j->ncmd > MAXPIPE)
        return error("pipeline too long", 0), -1;
    j->bg = toks[*i].type == T_BG;
    return 0;
}

static int parse(void)
{
    int i = 0;
    ncmds = njobs = 0;
    if (toks[0].type == T_END)
        return 0;
    for (int when = T_SEMI;;) {
        if (parse_job(&i, when) < 0)
            return -1;
        int t = toks[i].type;
        if (t == T_END)
            return 0;
        if (t != T_SEMI && t != T_BG && t != T_AND && t != T_OR)
            return syntax_error(i);
        i++;
        if (toks[i].type == T_END && (t == T_SEMI || t == T_BG))
            return 0;
        when = t == T_BG ? T_SEMI : t;
    }
}

/* ---- running ---- */

/* Opens f onto descriptor fd; 0, or -1 after a message. */
static int redirect(const char *f, int fd, int flags)
{
    int r = open(f, flags);
    if (r < 0) {
        dprintf(2, "sh: %s: %s\n", f, errstr(r));
        return -1;
    }
    if (r != fd) {
        dup2(r, fd);
        close(r);
    }
    return 0;
}

static int redirect_all(const struct cmd *c)
{
    int wflags = O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC);
    if (c->in && redirect(c->in, 0, O_RDONLY) < 0)
        return -1;
    if (c->out && redirect(c->out, 1, wflags) < 0)
        return -1;
    if (c->err && redirect(c->err, 2, O_WRONLY | O_CREAT | O_TRUNC) < 0)
        return -1;
    return 0;
}

/* The child's half: plumbing, redirections, exec. Never returns. */
static void child(struct cmd *c, int in, int out, int pgid)
{
    setpgid(0, pgid);
    if (in >= 0)
        dup2(in, 0), close(in);
    if (out >= 0)
        dup2(out, 1), close(out);
    if (redirect_all(c) < 0)
        exit(1);
    int r = exec(c->argv[0], c->argv);
    if (r == ENOENT)
        dprintf(2, "sh: %s: command not found\n", c->argv[0]);
    else
        dprintf(2, "sh: %s: cannot run (%s)\n", c->argv[0], errstr(r));
    exit(127);
}

static void report_done(int pid, int status)
{
    printf("[%d] done (status %d)\n", pid, status);
}

/* Waits until every pid of a foreground job is reaped; the last one's status. */
static int wait_job(int *pids, int n)
{
    int left = n, status = 0, st;
    while (left > 0) {
        int pid = wait(&st), mine = 0;
        if (pid < 0)
            break;
        for (int k = 0; k < n; k++)
            if (pids[k] == pid) {
                mine = 1, left--;
                if (k == n - 1)
                    status = st;
            }
        if (!mine)
            report_done(pid, st);
    }
    return status;
}

/* Starts the processes of job j; returns the last status (0 for a background job). */
static int run_job(const struct job *j)
{
    int pids[MAXPIPE], prev = -1, pgid = 0;
    for (int k = 0; k < j->ncmd; k++) {
        int p[2] = {-1, -1};
        if (k < j->ncmd - 1 && pipe(p) < 0) {
            error("cannot make a pipe", 0);
            break;
        }
        int pid = fork();
        if (pid == 0) {
            if (p[0] >= 0)
                close(p[0]);
            child(&cmds[j->first + k], prev, p[1], pgid);
        }
        if (pid < 0)
            error("fork failed", 0);
        pgid = pgid ? pgid : pid;
        if (pid > 0)
            setpgid(pid, pgid);
        if (prev >= 0)
            close(prev);
        if (p[1] >= 0)
            close(p[1]);
        prev = p[0];
        pids[k] = pid;
    }
    if (prev >= 0)
        close(prev);
    if (j->bg) {
        printf("[%d]\n", pgid);
        return 0;
    }
    fgpgrp(pgid);
    int status = wait_job(pids, j->ncmd);
    fgpgrp(0);
    return status;
}

static char expanded[LINE_MAX * 4];

/* Replaces each STATUS_MARK in the words of c by the decimal of $?, copying them to *o. */
static void expand(struct cmd *c, char **out)
{
    char num[16], *o = *out;
    int n = fmt_snprintf(num, sizeof num, "%d", last_status);
    char **words_of[] = {&c->in, &c->out, &c->err};
    for (int i = 0; i < c->argc + 3; i++) {
        char **w = i < c->argc ? &c->argv[i] : words_of[i - c->argc];
        if (!*w)
            continue;
        char *start = o;
        for (const char *s = *w; *s && o < expanded + sizeof expanded - 20; s++)
            if (*s == STATUS_MARK)
                memcpy(o, num, n), o += n;
            else
                *o++ = *s;
        *o++ = 0;
        *w = start;
    }
    *out = o;
}

/* ---- built-ins ---- */

static int builtin_cd(const struct cmd *c)
{
    const char *dir = c->argc > 1 ? c->argv[1] : "/";
    int r = chdir(dir);
    if (r < 0)
        dprintf(2, "sh: cd: %s: %s\n", dir, errstr(r));
    return r < 0;
}

static int builtin_pwd(void)
{
    char buf[256];
    int r = getcwd(buf, sizeof buf);
    if (r < 0) {
        dprintf(2, "sh: pwd: %s\n", errstr(r));
        return 1;
    }
    printf("%s\n", buf);
    return 0;
}

/* Runs a built-in in the shell with its redirections; -1 if c is none. */
static int builtin(const struct cmd *c)
{
    const char *n = c->argv[0];
    if (strcmp(n, "cd") && strcmp(n, "pwd") && strcmp(n, "exit"))
        return -1;
    if (strcmp(n, "exit") == 0)
        exit(c->argc > 1 ? atoi(c->argv[1]) : last_status);
    int saved[3] = {dup(0), dup(1), dup(2)}, r = 1;
    if (redirect_all(c) == 0)
        r = strcmp(n, "cd") == 0 ? builtin_cd(c) : builtin_pwd();
    for (int fd = 0; fd < 3; fd++)
        dup2(saved[fd], fd), close(saved[fd]);
    return r;
}

static void run_line(void)
{
    for (int i = 0; i < njobs; i++) {
        const struct job *j = &jobs[i];
        if ((j->when == T_AND && last_status != 0) || (j->when == T_OR && last_status == 0))
            continue;
        char *o = expanded;
        for (int k = 0; k < j->ncmd; k++)
            expand(&cmds[j->first + k], &o);
        int b = j->ncmd == 1 && !j->bg ? builtin(&cmds[j->first]) : -1;
        last_status = b >= 0 ? b : run_job(j);
    }
}

/* ---- input ---- */

static void reap_background(void)
{
    int pid, st;
    while ((pid = waitnb(&st)) > 0)
        report_done(pid, st);
}

static void prompt(void)
{
    char cwd[256];
    if (getcwd(cwd, sizeof cwd) < 0)
        cwd[0] = '?', cwd[1] = 0;
    printf("%s$ ", cwd);
}

/* Reads one line (a console read returns at most one); -1 at end of input. */
static int read_line(char *line)
{
    int n = 0;
    while (n < LINE_MAX - 1) {
        int r = read(0, line + n, 1);
        if (r <= 0)
            return n > 0 ? (line[n] = 0, n) : -1;
        if (line[n] == '\n')
            break;
        n++;
    }
    line[n] = 0;
    return n;
}

int main(int argc, char **argv)
{
    static char line[LINE_MAX];
    (void)argc, (void)argv;
    for (;;) {
        reap_background();
        prompt();
        if (read_line(line) < 0)
            break;
        if (lex(line) == 0 && parse() == 0)
            run_line();
    }
    printf("\n");
    return 0;
}
