/* dafu.normalize.repair._fast: the beam's inner loops in C (issue 20), an optional accelerator.
 *
 * Each function does exactly what the Python function named beside it does (rows.py, search.py, lm.py), with
 * the same double operations in the same order, so the repair's answers are byte-identical with or without it
 * (tests/test_repair_fast.py runs both). Built by setup.py as an optional extension; DAFU_PURE=1 ignores it.
 * Compiled without floating-point contraction (no fused multiply-add): each + and * rounds as Python's do.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>

static double WORD_COST = 0.0, RUN_ON = 0.0, PMI_W = 0.0, PMI_CLIP = 0.0, TRI_W = 0.0, TRI_PRIOR = 0.0;

static int ascii_alnum(Py_UCS4 c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A float of a sequence item (a list or a tuple), -1.0 with an exception set on error. */
static double item_d(PyObject *seq, Py_ssize_t i)
{
    PyObject *o = PyList_Check(seq) ? PyList_GET_ITEM(seq, i) : PyTuple_GET_ITEM(seq, i);
    return PyFloat_Check(o) ? PyFloat_AS_DOUBLE(o) : PyFloat_AsDouble(o);
}

/* seq[i] with Python's meaning of a negative index. */
static double best_at(PyObject *best, Py_ssize_t i)
{
    Py_ssize_t n = PyList_GET_SIZE(best);
    return item_d(best, i < 0 ? i + n : i);
}

static PyObject *to_list(const double *v, Py_ssize_t n)
{
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *f = PyFloat_FromDouble(v[i]);
        if (f == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, i, f);
    }
    return out;
}

/* for i in ix: if t > b[i]: b[i] = t  (ix: a list of indices) */
static int raise_to(double *b, Py_ssize_t n, PyObject *ix, double t)
{
    Py_ssize_t m = PySequence_Fast_GET_SIZE(ix);
    PyObject **items = PySequence_Fast_ITEMS(ix);
    for (Py_ssize_t k = 0; k < m; k++) {
        Py_ssize_t i = PyLong_AsSsize_t(items[k]);
        if (i < 0 || i >= n) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_IndexError, "_fast: candidate index out of range");
            return -1;
        }
        if (t > b[i])
            b[i] = t;
    }
    return 0;
}

static PyObject *configure(PyObject *self, PyObject *args)
{
    if (!PyArg_ParseTuple(args, "dddddd", &WORD_COST, &RUN_ON, &PMI_W, &PMI_CLIP, &TRI_W, &TRI_PRIOR))
        return NULL;
    Py_RETURN_NONE;
}

/* The few-forms branch of rows._step: each word q + x looked up, q the last 1-5 characters of s. */
static int step_few(double *b, Py_ssize_t n, PyObject *pos, PyObject *s, PyObject *best, PyObject *ov,
                    PyObject *vocab)
{
    Py_ssize_t n_s = PyUnicode_GET_LENGTH(s), kmax = n_s < 5 ? n_s : 5;
    for (Py_ssize_t k = 1; k <= kmax; k++) {
        PyObject *q = PyUnicode_Substring(s, n_s - k, n_s);
        if (q == NULL)
            return -1;
        double bn = best_at(best, n_s - k);
        Py_ssize_t it = 0;
        PyObject *x, *ix;
        while (PyDict_Next(pos, &it, &x, &ix)) {
            PyObject *w = PyUnicode_Concat(q, x);
            if (w == NULL) {
                Py_DECREF(q);
                return -1;
            }
            PyObject *v = PyDict_GetItemWithError(ov, w);
            if (v == NULL && !PyErr_Occurred())
                v = PyDict_GetItemWithError(vocab, w);
            Py_DECREF(w);
            if (v == NULL && PyErr_Occurred()) {
                Py_DECREF(q);
                return -1;
            }
            if (v != NULL && raise_to(b, n, ix, bn + PyFloat_AsDouble(v) + WORD_COST) < 0) {
                Py_DECREF(q);
                return -1;
            }
        }
        Py_DECREF(q);
    }
    return 0;
}

typedef struct {
    double v;  /* log p of the word */
    Py_ssize_t i;  /* a candidate whose form ends it */
} follow;

/* The followers branch of rows._step, over the followers that are forms of the slot (fols_isect):
 * fols = [(n, bytes of follow records: the words of the last n - 1 characters + a form)]. */
static int step_fols(double *b, Py_ssize_t n, Py_ssize_t n_s, PyObject *best, PyObject *fols)
{
    for (Py_ssize_t f = 0; f < PyList_GET_SIZE(fols); f++) {
        PyObject *pair = PyList_GET_ITEM(fols, f), *rec = PyTuple_GET_ITEM(pair, 1);
        double bn = best_at(best, n_s + 1 - PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0)));
        const follow *r = (const follow *)PyBytes_AS_STRING(rec);
        Py_ssize_t m = PyBytes_GET_SIZE(rec) / (Py_ssize_t)sizeof(follow);
        for (Py_ssize_t k = 0; k < m; k++) {
            double t = bn + r[k].v + WORD_COST;
            if (r[k].i < n && t > b[r[k].i])
                b[r[k].i] = t;
        }
    }
    return PyErr_Occurred() ? -1 : 0;
}

/* Append (v, every index of ix) to a growing array of follow records. */
static int add_follows(follow **buf, Py_ssize_t *len, Py_ssize_t *cap, double v, PyObject *ix)
{
    for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(ix); k++) {
        if (*len == *cap) {
            *cap = *cap ? 2 * *cap : 64;
            follow *nb = PyMem_Realloc(*buf, *cap * sizeof(follow));
            if (nb == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            *buf = nb;
        }
        (*buf)[*len].v = v;
        (*buf)[(*len)++].i = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(ix, k));
    }
    return PyErr_Occurred() ? -1 : 0;
}

/* fols_isect(fols, pos): for each (n, {x: log p}) of Scorer.fols, (n, the follow records of the forms x of the
 * slot) (rows._step reads the same pairs, by the smaller of the two dicts; the maximum does not depend on the
 * order). */
static PyObject *fols_isect(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyList_Check(args[0]) || !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "fols_isect(fols, pos)");
        return NULL;
    }
    PyObject *pos = args[1], *out = PyList_New(0);
    follow *buf = NULL;
    Py_ssize_t cap = 0;
    for (Py_ssize_t f = 0; out != NULL && f < PyList_GET_SIZE(args[0]); f++) {
        PyObject *pair = PyList_GET_ITEM(args[0], f), *fol = PyTuple_GET_ITEM(pair, 1), *x, *v, *ix;
        Py_ssize_t it = 0, len = 0;
        int small = PyDict_GET_SIZE(fol) < PyDict_GET_SIZE(pos), err = 0;
        while (!err && PyDict_Next(small ? fol : pos, &it, &x, small ? &v : &ix)) {
            PyObject *other = PyDict_GetItemWithError(small ? pos : fol, x);
            if (other == NULL)
                err = PyErr_Occurred() != NULL;
            else
                err = small ? add_follows(&buf, &len, &cap, PyFloat_AsDouble(v), other)
                            : add_follows(&buf, &len, &cap, PyFloat_AsDouble(other), ix);
        }
        PyObject *rec = err ? NULL : PyBytes_FromStringAndSize((const char *)buf, len * sizeof(follow));
        PyObject *entry = rec == NULL ? NULL : PyTuple_Pack(2, PyTuple_GET_ITEM(pair, 0), rec);
        Py_XDECREF(rec);
        if (entry == NULL || PyList_Append(out, entry) < 0)
            Py_CLEAR(out);
        Py_XDECREF(entry);
    }
    PyMem_Free(buf);
    return out;
}

/* The width-th largest of v[0..n) (n >= width >= 1): heapq.nlargest(width, v)[-1]. */
static double nth_largest(const double *v, Py_ssize_t n, Py_ssize_t width, double *heap)
{
    Py_ssize_t h = 0;  /* heap[0..h): a min-heap of the largest seen */
    for (Py_ssize_t i = 0; i < n; i++) {
        double x = v[i];
        if (h < width) {
            Py_ssize_t k = h++;
            while (k > 0 && heap[(k - 1) / 2] > x) {
                heap[k] = heap[(k - 1) / 2];
                k = (k - 1) / 2;
            }
            heap[k] = x;
        } else if (x > heap[0]) {
            Py_ssize_t k = 0;
            for (;;) {
                Py_ssize_t c = 2 * k + 1;
                if (c >= h)
                    break;
                if (c + 1 < h && heap[c + 1] < heap[c])
                    c++;
                if (heap[c] >= x)
                    break;
                heap[k] = heap[c];
                k = c;
            }
            heap[k] = x;
        }
    }
    return heap[0];
}

/* overlay.get(w), else vocab.get(w): a borrowed float or NULL (an error may be set). */
static PyObject *word_of(PyObject *ov, PyObject *vocab, PyObject *w)
{
    PyObject *v = PyDict_GetItemWithError(ov, w);
    return v != NULL || PyErr_Occurred() ? v : PyDict_GetItemWithError(vocab, w);
}

/* A Bloom filter of a dict's str keys: "not a key" for sure, or "maybe" (then the dict is asked). It never says
 * no for a key, so a look-up it skips is one that finds nothing: the answers are the same. Built once per dict
 * object (a strong reference is kept, so another dict cannot take its address) and again if its size changed
 * (the model's dicts are not changed once built). */
typedef struct {
    PyObject *dict;
    Py_ssize_t size;
    uint64_t *bits;
    uint64_t mask;  /* number of bits - 1 (a power of two) */
} bloom;

static bloom VOCAB_BLOOM, OV_BLOOM;

/* A hash of the code points s[a:b] (FNV-1a over 32-bit units, then a final mix). */
static uint64_t span_hash(PyObject *s, Py_ssize_t a, Py_ssize_t b)
{
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)(b - a);
    for (Py_ssize_t i = a; i < b; i++) {
        h ^= (uint64_t)PyUnicode_READ(kind, data, i);
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static int bloom_maybe(const bloom *bl, uint64_t h)
{
    uint64_t h2 = (h >> 32) | 1;
    for (int k = 0; k < 3; k++) {
        uint64_t i = (h + k * h2) & bl->mask;
        if (!(bl->bits[i >> 6] & (1ULL << (i & 63))))
            return 0;
    }
    return 1;
}

/* The filter of dict d, (re)built when it is another dict or its size changed. -1 on error. */
static int bloom_of(bloom *bl, PyObject *d)
{
    if (bl->dict == d && bl->size == PyDict_GET_SIZE(d))
        return 0;
    uint64_t nbits = 4096;
    while (nbits < 24 * (uint64_t)PyDict_GET_SIZE(d))
        nbits <<= 1;
    uint64_t *bits = PyMem_Calloc(nbits / 64, sizeof(uint64_t));
    if (bits == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PyMem_Free(bl->bits);
    Py_XSETREF(bl->dict, Py_NewRef(d));
    bl->size = PyDict_GET_SIZE(d);
    bl->bits = bits;
    bl->mask = nbits - 1;
    Py_ssize_t it = 0;
    PyObject *key, *value;
    while (PyDict_Next(d, &it, &key, &value)) {
        if (!PyUnicode_Check(key))
            continue;
        uint64_t h = span_hash(key, 0, PyUnicode_GET_LENGTH(key)), h2 = (h >> 32) | 1;
        for (int k = 0; k < 3; k++) {
            uint64_t i = (h + k * h2) & bl->mask;
            bits[i >> 6] |= 1ULL << (i & 63);
        }
    }
    return 0;
}

/* word_of(ov, vocab, s[a:b]) without making the string when neither dict can hold it. Call words_ready first. */
static PyObject *word_at(PyObject *ov, PyObject *vocab, PyObject *s, Py_ssize_t a, Py_ssize_t b)
{
    uint64_t h = span_hash(s, a, b);
    if (!bloom_maybe(&OV_BLOOM, h) && !bloom_maybe(&VOCAB_BLOOM, h))
        return NULL;
    PyObject *w = PyUnicode_Substring(s, a, b);
    if (w == NULL)
        return NULL;
    PyObject *v = word_of(ov, vocab, w);
    Py_DECREF(w);
    return v;
}

static PyObject *COSTS;  /* lm._char_cost(c, vocab) of the characters in neither dict, for VOCAB_BLOOM's vocab */

/* The filters of the overlay and the vocabulary word_at reads (and COSTS, emptied for another vocabulary). */
static int words_ready(PyObject *ov, PyObject *vocab)
{
    if (COSTS == NULL && (COSTS = PyDict_New()) == NULL)
        return -1;
    if (VOCAB_BLOOM.dict != vocab || VOCAB_BLOOM.size != PyDict_GET_SIZE(vocab))
        PyDict_Clear(COSTS);
    return bloom_of(&OV_BLOOM, ov) < 0 || bloom_of(&VOCAB_BLOOM, vocab) < 0 ? -1 : 0;
}

/* lm.Scorer.extend's loop: best[p] for p in [from, to], best[0..from) given. char_cost(c, vocab): lm._char_cost. */
static int extend_into(double *best, Py_ssize_t from, Py_ssize_t to, PyObject *s, PyObject *ov, PyObject *vocab,
                       PyObject *char_cost)
{
    for (Py_ssize_t p = from; p <= to; p++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(s, p - 1);
        if (c == '\n') {
            best[p] = best[p - 1];
            continue;
        }
        if (p >= 2 && ascii_alnum(c) && ascii_alnum(PyUnicode_READ_CHAR(s, p - 2))) {
            best[p] = best[p - 1] + RUN_ON;
            continue;
        }
        PyObject *w = PyUnicode_Substring(s, p - 1, p), *v;
        if (w == NULL)
            return -1;
        v = word_of(ov, vocab, w);
        double cost = v != NULL ? PyFloat_AsDouble(v) : 0.0;
        if (v == NULL && !PyErr_Occurred()) {
            PyObject *r = PyDict_GetItemWithError(COSTS, w);  /* char_cost(c, vocab) of a c in no dict, once */
            if (r != NULL) {
                cost = PyFloat_AsDouble(r);
            } else if (!PyErr_Occurred()) {
                r = PyObject_CallFunctionObjArgs(char_cost, w, vocab, NULL);
                cost = r == NULL ? 0.0 : PyFloat_AsDouble(r);
                if (r != NULL && PyDict_GET_SIZE(COSTS) >= 50000)
                    PyDict_Clear(COSTS);
                if (r != NULL && PyDict_SetItem(COSTS, w, r) < 0)
                    cost = 0.0;
                Py_XDECREF(r);
            }
        }
        Py_DECREF(w);
        if (PyErr_Occurred())
            return -1;
        double bb = best[p - 1] + cost + WORD_COST;
        for (Py_ssize_t k = 2; k <= (p < 6 ? p : 6); k++) {
            v = word_at(ov, vocab, s, p - k, p);
            if (v != NULL) {
                double t = best[p - k] + PyFloat_AsDouble(v) + WORD_COST;
                if (t > bb)
                    bb = t;
            } else if (PyErr_Occurred()) {
                return -1;
            }
        }
        best[p] = bb;
    }
    return 0;
}

/* lm.Scorer.extend(s, best): the word-path DP over s past best's prefix: extend(s, best, overlay, vocab, char_cost) */
static PyObject *extend(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1]) || PyList_GET_SIZE(args[1]) < 1
        || !PyDict_Check(args[2]) || !PyDict_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "extend(s, best, overlay, vocab, char_cost)");
        return NULL;
    }
    PyObject *s = args[0], *best0 = args[1];
    Py_ssize_t n_s = PyUnicode_GET_LENGTH(s), nb = PyList_GET_SIZE(best0), end = nb > n_s + 1 ? nb : n_s + 1;
    if (words_ready(args[2], args[3]) < 0)
        return NULL;
    double *best = PyMem_Malloc(end * sizeof(double));
    if (best == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < nb; i++)
        best[i] = item_d(best0, i);
    PyObject *out = extend_into(best, nb, n_s, s, args[2], args[3], args[4]) < 0 || PyErr_Occurred()
                        ? NULL : to_list(best, end);
    PyMem_Free(best);
    return out;
}

/* lm.Scorer._extend_right(s, best_left, right)'s value: extend_right(s, best_left, n0, ends, overlay, vocab,
 * char_cost), n0 = len(s) - len(right) >= len(best_left) + 2, ends = Scorer._ends(right). */
static PyObject *extend_right(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1]) || !PyLong_Check(args[2])
        || !PyList_Check(args[3]) || !PyDict_Check(args[4]) || !PyDict_Check(args[5])) {
        PyErr_SetString(PyExc_TypeError, "extend_right(s, best_left, n0, ends, overlay, vocab, char_cost)");
        return NULL;
    }
    PyObject *s = args[0], *ends = args[3], *ov = args[4], *vocab = args[5];
    Py_ssize_t n_s = PyUnicode_GET_LENGTH(s), nb = PyList_GET_SIZE(args[1]), n0 = PyLong_AsSsize_t(args[2]);
    if (nb < 1 || n0 < nb + 1 || n0 + PyList_GET_SIZE(ends) != n_s) {
        PyErr_SetString(PyExc_ValueError, "extend_right: lengths do not fit");
        return NULL;
    }
    if (words_ready(ov, vocab) < 0)
        return NULL;
    double *best = PyMem_Malloc((n_s + 1) * sizeof(double));
    if (best == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < nb; i++)
        best[i] = item_d(args[1], i);
    int err = extend_into(best, nb, n0, s, ov, vocab, args[6]);
    for (Py_ssize_t q = 1; !err && q <= n_s - n0; q++) {
        Py_ssize_t p = n0 + q;
        PyObject *e = PyList_GET_ITEM(ends, q - 1), *v;
        if (e == Py_None) {
            best[p] = best[p - 1];
            continue;
        }
        if (e == Py_False || (q == 1 && ascii_alnum(PyUnicode_READ_CHAR(s, p - 1))
                              && ascii_alnum(PyUnicode_READ_CHAR(s, p - 2)))) {
            best[p] = best[p - 1] + RUN_ON;
            continue;
        }
        double b = best[p - 1] + PyFloat_AsDouble(PyTuple_GET_ITEM(e, 0)) + WORD_COST;
        PyObject *words = PyTuple_GET_ITEM(e, 1);
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(words); k++) {
            PyObject *nv = PyList_GET_ITEM(words, k);
            double t = best[p - PyLong_AsSsize_t(PyTuple_GET_ITEM(nv, 0))] + PyFloat_AsDouble(PyTuple_GET_ITEM(nv, 1))
                       + WORD_COST;
            if (t > b)
                b = t;
        }
        for (Py_ssize_t n = q + 1; !err && n <= (p < 6 ? p : 6); n++) {  /* the words that begin before right */
            v = word_at(ov, vocab, s, p - n, p);
            if (v != NULL) {
                double t = best[p - n] + PyFloat_AsDouble(v) + WORD_COST;
                if (t > b)
                    b = t;
            }
        }
        best[p] = b;
        err = err || PyErr_Occurred() ? -1 : 0;
    }
    double r = best[n_s];
    PyMem_Free(best);
    return err || PyErr_Occurred() ? NULL : PyFloat_FromDouble(r);
}

static double clip(double x)
{
    return x > PMI_CLIP ? PMI_CLIP : x < -PMI_CLIP ? -PMI_CLIP : x;
}

/* math.log: a ValueError for x <= 0, as Python's. */
static double py_log(double x)
{
    if (x <= 0.0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "math domain error");
        return 0.0;
    }
    return log(x);
}

/* d.get(key) as a double, `dflt` when absent; error set on failure. */
static double get_d(PyObject *d, PyObject *key, double dflt)
{
    PyObject *v = PyDict_GetItemWithError(d, key);
    return v == NULL ? dflt : PyFloat_AsDouble(v);
}

/* rows._pmi_row: pmi_row(in_uni, back_a, pairs, bgpos, uni) */
static PyObject *pmi_row(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyTuple_Check(args[0]) || !PyFloat_Check(args[1]) || !PyDict_Check(args[2])
        || !PyDict_Check(args[3]) || !PyDict_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError, "pmi_row(in_uni, back_a, pairs, bgpos, uni)");
        return NULL;
    }
    PyObject *in_uni = args[0], *pairs = args[2], *at = args[3], *uni = args[4], *k, *v, *ix;
    Py_ssize_t n = PyTuple_GET_SIZE(in_uni), it = 0;
    double ba = PyFloat_AS_DOUBLE(args[1]);
    double *row = PyMem_Malloc((n ? n : 1) * sizeof(double));
    if (row == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++)
        row[i] = PyObject_IsTrue(PyTuple_GET_ITEM(in_uni, i)) ? ba : 0.0;
    int small = PyDict_GET_SIZE(pairs) < PyDict_GET_SIZE(at);
    while (!PyErr_Occurred() && PyDict_Next(small ? pairs : at, &it, &k, small ? &v : &ix)) {
        if (small)
            ix = PyDict_GetItemWithError(at, k);
        else
            v = PyDict_GetItemWithError(pairs, k);
        if (ix == NULL || v == NULL)
            continue;
        PyObject *u = PyDict_GetItemWithError(uni, k);
        if (u == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, k);
            break;
        }
        double x = PyFloat_AsDouble(v) - PyFloat_AsDouble(u);
        for (Py_ssize_t j = 0; j < PySequence_Fast_GET_SIZE(ix); j++) {
            Py_ssize_t i = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(ix, j));
            if (i >= 0 && i < n)
                row[i] = x;
        }
    }
    PyObject *out = PyErr_Occurred() ? NULL : to_list(row, n);
    PyMem_Free(row);
    return out;
}

/* rows._pmi_terms: [PMI_W * clip(x) for x in pmis] */
static PyObject *pmi_terms(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 1 || !PyList_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "pmi_terms(pmis)");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(args[0]);
    double *row = PyMem_Malloc((n ? n : 1) * sizeof(double));
    if (row == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++)
        row[i] = PMI_W * clip(item_d(args[0], i));
    PyObject *out = PyErr_Occurred() ? NULL : to_list(row, n);
    PyMem_Free(row);
    return out;
}

/* rows._add_tri's loop: add_tri(row, pmis, fbs, triple, uni, floor, den) */
static PyObject *add_tri(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7 || !PyList_Check(args[0]) || !PyList_Check(args[1]) || !PyTuple_Check(args[2])
        || !PyDict_Check(args[3]) || !PyDict_Check(args[4]) || !PyFloat_Check(args[5]) || !PyFloat_Check(args[6])) {
        PyErr_SetString(PyExc_TypeError, "add_tri(row, pmis, fbs, triple, uni, floor, den)");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(args[0]);
    if (PyList_GET_SIZE(args[1]) < n)
        n = PyList_GET_SIZE(args[1]);
    if (PyTuple_GET_SIZE(args[2]) < n)
        n = PyTuple_GET_SIZE(args[2]);
    double floor_ = PyFloat_AS_DOUBLE(args[5]), den = PyFloat_AS_DOUBLE(args[6]);
    double *row = PyMem_Malloc((n ? n : 1) * sizeof(double));
    if (row == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n && !PyErr_Occurred(); i++) {
        PyObject *fb = PyTuple_GET_ITEM(args[2], i);
        double p2 = exp(item_d(args[1], i) + get_d(args[4], fb, floor_));
        double tp = py_log((get_d(args[3], fb, 0.0) + TRI_PRIOR * p2) / den) - py_log(p2);
        row[i] = item_d(args[0], i) + TRI_W * clip(tp);
    }
    PyObject *out = PyErr_Occurred() ? NULL : to_list(row, n);
    PyMem_Free(row);
    return out;
}

/* rows._close_bonus_row's pmis: close_pmi_row(forms, bgf, by_first, uni, back, b) */
static PyObject *close_pmi_row(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6 || !PyTuple_Check(args[0]) || !PyTuple_Check(args[1]) || !PyDict_Check(args[2])
        || !PyDict_Check(args[3]) || !PyDict_Check(args[4]) || !PyUnicode_Check(args[5])) {
        PyErr_SetString(PyExc_TypeError, "close_pmi_row(forms, bgf, by_first, uni, back, b)");
        return NULL;
    }
    PyObject *forms = args[0], *bgf = args[1], *uni = args[3], *b = args[5];
    Py_ssize_t n = PyTuple_GET_SIZE(forms);
    double *row = PyMem_Malloc((n ? n : 1) * sizeof(double));
    if (row == NULL)
        return PyErr_NoMemory();
    int b_in_uni = PyDict_Contains(uni, b);
    for (Py_ssize_t i = 0; i < n && !PyErr_Occurred(); i++) {
        PyObject *f = PyTuple_GET_ITEM(forms, i), *a = PyTuple_GET_ITEM(bgf, i);
        if (PyUnicode_GET_LENGTH(f) == 1 && PyUnicode_READ_CHAR(f, 0) == '\n') {
            row[i] = 0.0;
            continue;
        }
        PyObject *d = PyDict_GetItemWithError(args[2], a);
        PyObject *pv = d == NULL ? NULL : PyDict_GetItemWithError(d, b);
        if (pv != NULL) {
            PyObject *u = PyDict_GetItemWithError(uni, b);
            if (u == NULL) {
                if (!PyErr_Occurred())
                    PyErr_SetObject(PyExc_KeyError, b);
                break;
            }
            row[i] = PyFloat_AsDouble(pv) - PyFloat_AsDouble(u);
        } else {
            row[i] = b_in_uni == 1 ? get_d(args[4], a, 0.0) : 0.0;
        }
    }
    PyObject *out = PyErr_Occurred() ? NULL : to_list(row, n);
    PyMem_Free(row);
    return out;
}

/* rows._close_bonus_row's loop: close_tri_row(base, pmis, forms, bgf, after, triple, a2, b, p_c, z) */
static PyObject *close_tri_row(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 10 || !PyList_Check(args[0]) || !PyList_Check(args[1]) || !PyTuple_Check(args[2])
        || !PyTuple_Check(args[3]) || !PyDict_Check(args[4]) || !PyDict_Check(args[5]) || !PyUnicode_Check(args[6])
        || !PyUnicode_Check(args[7]) || !PyFloat_Check(args[8]) || !PyFloat_Check(args[9])) {
        PyErr_SetString(PyExc_TypeError, "close_tri_row(base, pmis, forms, bgf, after, triple, a2, b, p_c, z)");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(args[2]);
    if (PyList_GET_SIZE(args[0]) < n || PyList_GET_SIZE(args[1]) < n || PyTuple_GET_SIZE(args[3]) < n) {
        PyErr_SetString(PyExc_ValueError, "close_tri_row: rows of different lengths");
        return NULL;
    }
    double p_c = PyFloat_AS_DOUBLE(args[8]), z = PyFloat_AS_DOUBLE(args[9]);
    double *row = PyMem_Malloc((n ? n : 1) * sizeof(double));
    if (row == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n && !PyErr_Occurred(); i++) {
        PyObject *f = PyTuple_GET_ITEM(args[2], i), *a = PyTuple_GET_ITEM(args[3], i);
        double v = item_d(args[0], i);
        int nl = PyUnicode_GET_LENGTH(f) == 1 && PyUnicode_READ_CHAR(f, 0) == '\n';
        PyObject *nab = nl ? NULL : PyDict_GetItemWithError(args[4], a);
        double n_ab = nab == NULL ? 0.0 : PyFloat_AsDouble(nab);
        if (n_ab == 0.0) {
            row[i] = v + z;
            continue;
        }
        double p2 = exp(item_d(args[1], i) + p_c);
        PyObject *key = PyUnicode_FromFormat("%U%U%U", args[6], a, args[7]);
        double cnt = key == NULL ? 0.0 : get_d(args[5], key, 0.0);
        Py_XDECREF(key);
        double tp = py_log((cnt + TRI_PRIOR * p2) / (n_ab + TRI_PRIOR)) - py_log(p2);
        row[i] = v + TRI_W * clip(tp);
    }
    PyObject *out = PyErr_Occurred() ? NULL : to_list(row, n);
    PyMem_Free(row);
    return out;
}

/* A row kept in a cache dict, read without a Python call: spec = (d, head, tail, fn) gives d[head + (x,) + tail],
 * or fn(x) when it is not there (fn computes it and keeps it in d). A new reference, NULL on error. */
static PyObject *cached(PyObject *spec, PyObject *x)
{
    if (!PyTuple_Check(spec) || PyTuple_GET_SIZE(spec) != 4 || !PyDict_Check(PyTuple_GET_ITEM(spec, 0))
        || !PyTuple_Check(PyTuple_GET_ITEM(spec, 1)) || !PyTuple_Check(PyTuple_GET_ITEM(spec, 2))) {
        PyErr_SetString(PyExc_TypeError, "a cached row is (dict, head, tail, fn)");
        return NULL;
    }
    PyObject *head = PyTuple_GET_ITEM(spec, 1), *tail = PyTuple_GET_ITEM(spec, 2);
    Py_ssize_t nh = PyTuple_GET_SIZE(head), nt = PyTuple_GET_SIZE(tail);
    PyObject *key = PyTuple_New(nh + 1 + nt);
    if (key == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < nh; k++)
        PyTuple_SET_ITEM(key, k, Py_NewRef(PyTuple_GET_ITEM(head, k)));
    PyTuple_SET_ITEM(key, nh, Py_NewRef(x));
    for (Py_ssize_t k = 0; k < nt; k++)
        PyTuple_SET_ITEM(key, nh + 1 + k, Py_NewRef(PyTuple_GET_ITEM(tail, k)));
    PyObject *v = PyDict_GetItemWithError(PyTuple_GET_ITEM(spec, 0), key);
    Py_DECREF(key);
    if (v != NULL)
        return Py_NewRef(v);
    return PyErr_Occurred() ? NULL : PyObject_CallOneArg(PyTuple_GET_ITEM(spec, 3), x);
}

/* b[i] for every candidate after one state: rows._step (the few-forms or the followers way) and _step_end. */
static int step_into(double *b, Py_ssize_t n, PyObject *costs, PyObject *pos, PyObject *s, PyObject *best,
                     PyObject *ov, PyObject *vocab, PyObject *fols_fn, PyObject *alnum, PyObject *newline)
{
    Py_ssize_t n_s = PyUnicode_GET_LENGTH(s);
    double bl = best_at(best, -1);
    for (Py_ssize_t i = 0; i < n; i++)
        b[i] = bl + item_d(costs, i) + WORD_COST;
    if (fols_fn == Py_None) {
        if (step_few(b, n, pos, s, best, ov, vocab) < 0)
            return -1;
    } else {
        PyObject *tail = PyUnicode_Substring(s, n_s > 5 ? n_s - 5 : 0, n_s);
        PyObject *fols = tail == NULL ? NULL : cached(fols_fn, tail);
        Py_XDECREF(tail);
        if (fols == NULL)
            return -1;
        int err = PyList_Check(fols) ? step_fols(b, n, n_s, best, fols) : -1;
        Py_DECREF(fols);
        if (err < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "fols() must return a list");
            return -1;
        }
    }
    if (n_s && ascii_alnum(PyUnicode_READ_CHAR(s, n_s - 1))) {
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(alnum); k++)
            b[PyLong_AsSsize_t(PyTuple_GET_ITEM(alnum, k))] = bl + RUN_ON;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(newline); k++)
        b[PyLong_AsSsize_t(PyTuple_GET_ITEM(newline, k))] = bl;
    return PyErr_Occurred() ? -1 : 0;
}

/* gain[i] += v for each (i, v) of a list, in order. */
static int add_terms(double *g, Py_ssize_t n, PyObject *terms)
{
    if (!PyList_Check(terms)) {
        PyErr_SetString(PyExc_TypeError, "terms must be a list of (index, value)");
        return -1;
    }
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(terms); k++) {
        PyObject *iv = PyList_GET_ITEM(terms, k);
        Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(iv, 0));
        if (i >= 0 && i < n)
            g[i] += PyFloat_AsDouble(PyTuple_GET_ITEM(iv, 1));
    }
    return PyErr_Occurred() ? -1 : 0;
}

/* One op of a close_plan column: raise nw by a column plus a word, or by best[n_s + boff] plus each record's word. */
static void close_op(double *nw, Py_ssize_t n, const double **colp, PyObject *op, PyObject *best, Py_ssize_t n_s)
{
    Py_ssize_t src = PyLong_AsSsize_t(PyTuple_GET_ITEM(op, 0));
    if (src >= 0) {
        double v = PyFloat_AsDouble(PyTuple_GET_ITEM(op, 2));
        for (Py_ssize_t i = 0; i < n; i++) {
            double y = colp[src][i] + v + WORD_COST;
            if (y > nw[i])
                nw[i] = y;
        }
        return;
    }
    double base = best_at(best, n_s + PyLong_AsSsize_t(PyTuple_GET_ITEM(op, 1)));
    PyObject *recs = PyTuple_GET_ITEM(op, 3);
    const follow *r = (const follow *)PyBytes_AS_STRING(recs);
    for (Py_ssize_t k = 0; k < PyBytes_GET_SIZE(recs) / (Py_ssize_t)sizeof(follow); k++) {
        double y = base + r[k].v + WORD_COST;
        if (r[k].i < n && y > nw[r[k].i])
            nw[r[k].i] = y;
    }
}

/* The last slot's right-context terms (rows._gains_rest): the word-path DP over close by its plan
 * (fastrows.close_plan, as rows._close_rows), then gain[i] += ends[i] - b[i] + cbs[i]; gain[i] += tri[i].
 * got = (plan, tri, cbs); cols: room for 2 columns of n. */
static int close_into(double *g, const double *b, Py_ssize_t n, PyObject *best, Py_ssize_t n_s, PyObject *got,
                      PyObject *alnum, double *cols)
{
    if (!PyTuple_Check(got) || PyTuple_GET_SIZE(got) != 3 || !PyList_Check(PyTuple_GET_ITEM(got, 0))
        || PyList_GET_SIZE(PyTuple_GET_ITEM(got, 0)) > 2) {
        PyErr_SetString(PyExc_TypeError, "close() must return (plan, tri, cbs)");
        return -1;
    }
    PyObject *plan = PyTuple_GET_ITEM(got, 0), *tri = PyTuple_GET_ITEM(got, 1), *cbs = PyTuple_GET_ITEM(got, 2);
    const double *colp[3] = {b, NULL, NULL};
    Py_ssize_t K = PyList_GET_SIZE(plan);
    for (Py_ssize_t k = 0; k < K; k++) {
        const double *prev = colp[k];
        double *nw = cols + k * n;
        PyObject *step = PyList_GET_ITEM(plan, k);
        if (PyLong_Check(step)) {  /* 0: a line end, the column copied; 1: a letter or digit runs on */
            int run_on = PyLong_AsLong(step) == 1;
            for (Py_ssize_t i = 0; i < n; i++)
                nw[i] = run_on ? prev[i] + RUN_ON : prev[i];
        } else {
            double cost = PyFloat_AsDouble(PyTuple_GET_ITEM(step, 0));
            PyObject *ops = PyTuple_GET_ITEM(step, 2);
            for (Py_ssize_t i = 0; i < n; i++)
                nw[i] = prev[i] + cost + WORD_COST;
            for (Py_ssize_t o = 0; o < PyList_GET_SIZE(ops); o++)
                close_op(nw, n, colp, PyList_GET_ITEM(ops, o), best, n_s);
            if (PyObject_IsTrue(PyTuple_GET_ITEM(step, 1))) {
                for (Py_ssize_t a = 0; a < PyTuple_GET_SIZE(alnum); a++) {
                    Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(alnum, a));
                    nw[i] = prev[i] + RUN_ON;
                }
            }
        }
        colp[k + 1] = nw;
    }
    const double *ends = colp[K];
    for (Py_ssize_t i = 0; i < n; i++) {
        g[i] += ends[i] - b[i] + item_d(cbs, i);
        g[i] += item_d(tri, i);
    }
    return PyErr_Occurred() ? -1 : 0;
}

/* (plan, tri, cbs) of the last slot after s: close = (plan spec, tri, cbs spec), the plan kept by s[-4:], the
 * bonus row by s[-1:] (see cached). */
static PyObject *close_rows(PyObject *close, PyObject *s)
{
    if (!PyTuple_Check(close) || PyTuple_GET_SIZE(close) != 3) {
        PyErr_SetString(PyExc_TypeError, "close is (plan spec, tri, cbs spec)");
        return NULL;
    }
    Py_ssize_t n_s = PyUnicode_GET_LENGTH(s);
    PyObject *s4 = PyUnicode_Substring(s, n_s > 4 ? n_s - 4 : 0, n_s), *s1 = NULL, *plan = NULL, *cbs = NULL;
    PyObject *out = NULL;
    if (s4 != NULL && (plan = cached(PyTuple_GET_ITEM(close, 0), s4)) != NULL
        && (s1 = PyUnicode_Substring(s, n_s > 1 ? n_s - 1 : 0, n_s)) != NULL
        && (cbs = cached(PyTuple_GET_ITEM(close, 2), s1)) != NULL)
        out = PyTuple_Pack(3, plan, PyTuple_GET_ITEM(close, 1), cbs);
    Py_XDECREF(s4);
    Py_XDECREF(s1);
    Py_XDECREF(plan);
    Py_XDECREF(cbs);
    return out;
}

/* gain[i] = b[i] - bl + bon[i], then the penalties, then rows._gains_rest's terms: adds(xs, s) -> (pre, post)
 * sparse terms, and between them close(s) -> (plan, tri, cbs) for the last slot (either may be None). */
static int gains_into(double *g, const double *b, Py_ssize_t n, double bl, PyObject *bon, PyObject *pen,
                      PyObject *adds, PyObject *close, PyObject *st, PyObject *alnum, double *cols)
{
    if (!PyList_Check(bon) || PyList_GET_SIZE(bon) < n) {
        PyErr_SetString(PyExc_TypeError, "bonus() must return a list as long as the slot");
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        g[i] = b[i] - bl + item_d(bon, i);
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(pen); k++) {
        PyObject *iv = PyTuple_GET_ITEM(pen, k);
        g[PyLong_AsSsize_t(PyTuple_GET_ITEM(iv, 0))] += PyFloat_AsDouble(PyTuple_GET_ITEM(iv, 1));
    }
    PyObject *pp = NULL, *got = NULL, *s = PyTuple_GET_ITEM(st, 2);
    int err = 0;
    if (adds != Py_None) {
        pp = PyObject_CallFunctionObjArgs(adds, PyTuple_GET_ITEM(st, 1), s, NULL);
        err = pp == NULL || !PyTuple_Check(pp) || PyTuple_GET_SIZE(pp) != 2 || add_terms(g, n, PyTuple_GET_ITEM(pp, 0));
    }
    if (!err && close != Py_None) {
        got = close_rows(close, s);
        err = got == NULL || close_into(g, b, n, PyTuple_GET_ITEM(st, 3), PyUnicode_GET_LENGTH(s), got, alnum, cols);
    }
    if (!err && pp != NULL)
        err = add_terms(g, n, PyTuple_GET_ITEM(pp, 1));
    Py_XDECREF(pp);
    Py_XDECREF(got);
    if (err && !PyErr_Occurred())
        PyErr_SetString(PyExc_TypeError, "adds() must return (pre, post) lists of (index, value)");
    return err || PyErr_Occurred() ? -1 : 0;
}

/* A merge key's best entry (search._pass's kept[key]): the key is (the state's last model characters, the form). */
typedef struct {
    double total, b;
    int si, i;
    int seq;  /* 1 + the order of the key's first entry (dict insertion order); 0: no entry */
} cell;

typedef struct {
    cell *cells;  /* [merge-key row][form]: rows in order of first appearance, forms by their first index */
    int *used;  /* the cells with an entry, in order */
    Py_ssize_t n, nused;
    int tied;  /* sort as after an unassigned pair */
} table;

/* old = kept.get(key); if old is None or total > old[0]: kept[key] = (total, si, i, b[i], h) */
static void keep_cell(table *t, Py_ssize_t row, Py_ssize_t f, double total, Py_ssize_t si, Py_ssize_t i, double b)
{
    cell *c = &t->cells[row * t->n + f];
    if (c->seq == 0) {
        t->used[t->nused] = (int)(row * t->n + f);
        c->seq = (int)++t->nused;
    } else if (!(total > c->total)) {
        return;
    }
    c->total = total;
    c->b = b;
    c->si = (int)si;
    c->i = (int)i;
}

/* One state's entries (search._pass): after an unassigned pair only the allowed candidates, all of them; else
 * those at or above the threshold, which the state's `width` best distinct keys raise. Returns thr. */
static double keep_state(table *t, double *g, double base, PyObject *hs, PyObject *allowed, double thr,
                         Py_ssize_t width, PyObject *uniq, PyObject *fid, Py_ssize_t row, const double *b,
                         Py_ssize_t si, double *work)
{
    Py_ssize_t n = t->n;
    for (Py_ssize_t i = 0; i < n; i++)
        g[i] = base + g[i] + (hs == Py_None ? 0.0 : item_d(hs, i));
    if (allowed != NULL) {
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(allowed); k++) {
            Py_ssize_t i = PyLong_AsSsize_t(PyList_GET_ITEM(allowed, k));
            if (i >= 0 && i < n)
                keep_cell(t, row, PyLong_AsSsize_t(PyTuple_GET_ITEM(fid, i)), g[i], si, i, b[i]);
        }
        return thr;
    }
    if (n > width && width >= 1) {
        Py_ssize_t m = n;
        if (uniq != Py_None) {
            m = PyTuple_GET_SIZE(uniq);
            for (Py_ssize_t k = 0; k < m; k++)
                work[k] = g[PyLong_AsSsize_t(PyTuple_GET_ITEM(uniq, k))];
        } else {
            memcpy(work, g, n * sizeof(double));
        }
        if (m >= width) {
            double x = nth_largest(work, m, width, work + n);
            if (x > thr)
                thr = x;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (g[i] >= thr)
            keep_cell(t, row, PyLong_AsSsize_t(PyTuple_GET_ITEM(fid, i)), g[i], si, i, b[i]);
    }
    return thr;
}

static table *sorting;  /* the table qsort's comparison reads (one slot_pass at a time: the GIL is held) */

/* search._top's order: total, best first; then after an unassigned pair the key's first entry (nlargest keeps
 * insertion order on ties), else the key's first state and the form's first index. */
static int cmp_cells(const void *pa, const void *pb)
{
    const cell *a = &sorting->cells[*(const int *)pa], *b = &sorting->cells[*(const int *)pb];
    if (a->total != b->total)
        return a->total > b->total ? -1 : 1;
    if (sorting->tied)
        return a->seq < b->seq ? -1 : a->seq > b->seq;
    int ka = *(const int *)pa, kb = *(const int *)pb;  /* row-major: (row, form) order */
    return ka < kb ? -1 : ka > kb;
}

/* The state that entry c makes (search._beam): (total, xs + (cands[i],), s + forms[i], best + [b], h). */
static PyObject *new_state(cell *c, PyObject *states, PyObject *cands, PyObject *forms, PyObject *h)
{
    PyObject *st = PyList_GET_ITEM(states, c->si), *xs = PyTuple_GET_ITEM(st, 1), *best = PyTuple_GET_ITEM(st, 3);
    Py_ssize_t nx = PyTuple_GET_SIZE(xs), nb = PyList_GET_SIZE(best);
    PyObject *xs2 = PyTuple_New(nx + 1), *best2 = PyList_New(nb + 1), *b = PyFloat_FromDouble(c->b);
    PyObject *s2 = PyUnicode_Concat(PyTuple_GET_ITEM(st, 2), PyTuple_GET_ITEM(forms, c->i));
    if (xs2 == NULL || best2 == NULL || b == NULL || s2 == NULL) {
        Py_XDECREF(xs2);
        Py_XDECREF(best2);
        Py_XDECREF(b);
        Py_XDECREF(s2);
        Py_DECREF(h);
        return NULL;
    }
    for (Py_ssize_t k = 0; k < nx; k++)
        PyTuple_SET_ITEM(xs2, k, Py_NewRef(PyTuple_GET_ITEM(xs, k)));
    PyTuple_SET_ITEM(xs2, nx, Py_NewRef(PySequence_Fast_GET_ITEM(cands, c->i)));
    for (Py_ssize_t k = 0; k < nb; k++)
        PyList_SET_ITEM(best2, k, Py_NewRef(PyList_GET_ITEM(best, k)));
    PyList_SET_ITEM(best2, nb, b);
    return Py_BuildValue("(dNNNN)", c->total, xs2, s2, best2, h);
}

/* The states of the `width` best entries, in search._top's order. */
static PyObject *top_states(table *t, Py_ssize_t width, PyObject *hs, PyObject *states, PyObject *cands,
                            PyObject *forms)
{
    sorting = t;
    qsort(t->used, t->nused, sizeof(int), cmp_cells);
    Py_ssize_t m = t->nused < width ? t->nused : width;
    PyObject *out = PyList_New(m);
    for (Py_ssize_t k = 0; out != NULL && k < m; k++) {
        cell *c = &t->cells[t->used[k]];
        PyObject *h = hs == Py_None ? PyFloat_FromDouble(0.0) : Py_NewRef(PyList_GET_ITEM(hs, c->i));
        PyObject *e = h == NULL ? NULL : new_state(c, states, cands, forms, h);
        if (e == NULL)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, k, e);
    }
    return out;
}

/* search._pass and _top for one slot: every state (score, xs, s, best, hint) scored against every candidate;
 * returns the states of the `width` best entries (search._beam's next states). The rows kept in caches are read
 * from their dicts (see cached), computed by Python on a miss: fols by s[-5:] (None: the few-forms way), bonus by
 * s[-2:], close (None, or see close_rows); allowed(xs) or None and adds(xs, s) or None are Python callables
 * (see gains_into).
 * slot_pass(states, costs, pos, overlay, vocab, fols, alnum, newline, pen, bonus, close, hs, allowed, width,
 *           uniq, forms, fid, adds, cands) with fid[i] the first index of candidate i's form. */
static PyObject *slot_pass(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 19 || !PyList_Check(args[0]) || !PyTuple_Check(args[1]) || !PyDict_Check(args[2])
        || !PyDict_Check(args[3]) || !PyDict_Check(args[4]) || !PyTuple_Check(args[6]) || !PyTuple_Check(args[7])
        || !PyTuple_Check(args[8]) || !(args[11] == Py_None || PyList_Check(args[11])) || !PyLong_Check(args[13])
        || !(args[14] == Py_None || PyTuple_Check(args[14])) || !PyTuple_Check(args[15]) || !PyTuple_Check(args[16])
        || !(PyList_Check(args[18]) || PyTuple_Check(args[18]))
        || PySequence_Fast_GET_SIZE(args[18]) != PyTuple_GET_SIZE(args[15])) {
        PyErr_SetString(PyExc_TypeError, "slot_pass(states, costs, pos, overlay, vocab, fols, alnum, newline, pen, "
                                         "bonus, close, hs, allowed, width, uniq, forms, fid, adds, cands)");
        return NULL;
    }
    PyObject *states = args[0], *costs = args[1], *hs = args[11], *fid = args[16];
    Py_ssize_t n = PyTuple_GET_SIZE(costs), width = PyLong_AsSsize_t(args[13]), ns = PyList_GET_SIZE(states);
    if (PyTuple_GET_SIZE(args[15]) != n || PyTuple_GET_SIZE(fid) != n || (hs != Py_None && PyList_GET_SIZE(hs) < n)
        || width < 1 || (double)ns * (double)n > 1e8) {
        PyErr_SetString(PyExc_ValueError, "slot_pass: rows of different lengths");
        return NULL;
    }
    table t = {PyMem_Calloc(ns * n + 1, sizeof(cell)), PyMem_Malloc((ns * n + 1) * sizeof(int)), n, 0,
               args[12] != Py_None};
    double thr = -INFINITY, *b = PyMem_Malloc((5 * n + width + 1) * sizeof(double)), *g = b + n, *work = g + n;
    double *cols = work + n + width + 1;
    PyObject *rows = PyDict_New(), *out = NULL;  /* merge-key part -> its row, in order of first appearance */
    if (b == NULL || t.cells == NULL || t.used == NULL || rows == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t si = 0; si < ns && !PyErr_Occurred(); si++) {
        PyObject *st = PyList_GET_ITEM(states, si), *s, *best, *bon, *rk, *allowed = NULL, *row;
        if (!PyTuple_Check(st) || PyTuple_GET_SIZE(st) != 5 || !PyUnicode_Check(s = PyTuple_GET_ITEM(st, 2))
            || !PyList_Check(best = PyTuple_GET_ITEM(st, 3)) || PyList_GET_SIZE(best) < 1) {
            PyErr_SetString(PyExc_TypeError, "slot_pass: a state is (score, xs, s, best, hint)");
            break;
        }
        Py_ssize_t n_s = PyUnicode_GET_LENGTH(s);
        double bl = best_at(best, -1);
        if (step_into(b, n, costs, args[2], s, best, args[3], args[4], args[5], args[6], args[7]) < 0)
            break;
        rk = PyUnicode_Substring(s, n_s > 2 ? n_s - 2 : 0, n_s);  /* s[-2:]: the bonus's left and the merge key */
        bon = rk == NULL ? NULL : cached(args[9], rk);
        PyObject *next_row = PyLong_FromSsize_t(PyDict_GET_SIZE(rows));
        row = bon == NULL || next_row == NULL ? NULL : PyDict_SetDefault(rows, rk, next_row);
        Py_XDECREF(next_row);
        if (row != NULL && gains_into(g, b, n, bl, bon, args[8], args[17], args[10], st, args[6], cols) == 0) {
            double base = PyFloat_AsDouble(PyTuple_GET_ITEM(st, 0)) - PyFloat_AsDouble(PyTuple_GET_ITEM(st, 4));
            if (t.tied) {  /* after an unassigned pair */
                allowed = PyObject_CallOneArg(args[12], PyTuple_GET_ITEM(st, 1));
                if (allowed != NULL && !PyList_Check(allowed))
                    PyErr_SetString(PyExc_TypeError, "allowed() must return a list");
                else if (allowed != NULL)
                    keep_state(&t, g, base, hs, allowed, thr, width, args[14], fid, PyLong_AsSsize_t(row), b, si, work);
            } else {
                thr = keep_state(&t, g, base, hs, NULL, thr, width, args[14], fid, PyLong_AsSsize_t(row), b, si, work);
            }
        }
        Py_XDECREF(bon);
        Py_XDECREF(rk);
        Py_XDECREF(allowed);
    }
    if (!PyErr_Occurred())
        out = top_states(&t, width, hs, states, args[18], args[15]);
done:
    Py_XDECREF(rows);
    PyMem_Free(b);
    PyMem_Free(t.cells);
    PyMem_Free(t.used);
    return out;
}

/* The first index of sorted `words` (a list of str) at or after key, from lo: bisect.bisect_left. */
static Py_ssize_t bisect_words(PyObject *words, PyObject *key, Py_ssize_t lo)
{
    Py_ssize_t hi = PyList_GET_SIZE(words);
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        int c = PyUnicode_Compare(PyList_GET_ITEM(words, mid), key);
        if (c == -1 && PyErr_Occurred())
            return -1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* lm._scan on one sorted list: {w[len(q)]: values[w] for w in words if w starts with q and ends with t}. */
static PyObject *scan(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyList_Check(args[0]) || !PyUnicode_Check(args[1]) || !PyUnicode_Check(args[2])
        || !PyDict_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "scan(words, q, t, values)");
        return NULL;
    }
    PyObject *words = args[0], *q = args[1], *t = args[2], *top = PyUnicode_FromOrdinal(0x10ffff), *out = NULL;
    PyObject *end = top == NULL ? NULL : PyUnicode_Concat(q, top);
    Py_XDECREF(top);
    if (end == NULL)
        return NULL;
    Py_ssize_t k = PyUnicode_GET_LENGTH(q), lo = bisect_words(words, q, 0), hi = -1;
    if (lo >= 0)
        hi = bisect_words(words, end, lo);
    Py_DECREF(end);
    if (hi < 0 || (out = PyDict_New()) == NULL)
        return NULL;
    int tailed = PyUnicode_GET_LENGTH(t) > 0;
    for (Py_ssize_t j = lo; j < hi; j++) {
        PyObject *w = PyList_GET_ITEM(words, j);
        if (tailed) {
            Py_ssize_t m = PyUnicode_Tailmatch(w, t, 0, PY_SSIZE_T_MAX, 1);
            if (m < 0)
                goto fail;
            if (m == 0)
                continue;
        }
        PyObject *v = PyDict_GetItemWithError(args[3], w), *x;
        if (v == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, w);
            goto fail;
        }
        if ((x = PyUnicode_Substring(w, k, k + 1)) == NULL)
            goto fail;
        int err = PyDict_SetItem(out, x, v);
        Py_DECREF(x);
        if (err < 0)
            goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* fastrows._records for a q that no word of the letter's own begins: the words w = q + x + t of one sorted list
 * (lm._scan) as follow records (values[w], i) for every index i of pos[x]; None when there is no such word at all.
 * records(words, q, t, values, pos) */
static PyObject *records(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyList_Check(args[0]) || !PyUnicode_Check(args[1]) || !PyUnicode_Check(args[2])
        || !PyDict_Check(args[3]) || !PyDict_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError, "records(words, q, t, values, pos)");
        return NULL;
    }
    PyObject *words = args[0], *q = args[1], *t = args[2], *top = PyUnicode_FromOrdinal(0x10ffff), *out = NULL;
    PyObject *end = top == NULL ? NULL : PyUnicode_Concat(q, top);
    Py_XDECREF(top);
    if (end == NULL)
        return NULL;
    Py_ssize_t k = PyUnicode_GET_LENGTH(q), lo = bisect_words(words, q, 0), hi = -1, len = 0, cap = 0, found = 0;
    if (lo >= 0)
        hi = bisect_words(words, end, lo);
    Py_DECREF(end);
    if (hi < 0)
        return NULL;
    follow *buf = NULL;
    int tailed = PyUnicode_GET_LENGTH(t) > 0;
    for (Py_ssize_t j = lo; j < hi; j++) {
        PyObject *w = PyList_GET_ITEM(words, j);
        if (tailed) {
            Py_ssize_t m = PyUnicode_Tailmatch(w, t, 0, PY_SSIZE_T_MAX, 1);
            if (m < 0)
                goto done;
            if (m == 0)
                continue;
        }
        PyObject *v = PyDict_GetItemWithError(args[3], w), *x, *ix;
        if (v == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, w);
            goto done;
        }
        found++;
        if ((x = PyUnicode_Substring(w, k, k + 1)) == NULL)
            goto done;
        ix = PyDict_GetItemWithError(args[4], x);
        Py_DECREF(x);
        if (ix == NULL && PyErr_Occurred())
            goto done;
        if (ix != NULL && add_follows(&buf, &len, &cap, PyFloat_AsDouble(v), ix) < 0)
            goto done;
    }
    out = found ? PyBytes_FromStringAndSize((const char *)buf, len * sizeof(follow)) : Py_NewRef(Py_None);
done:
    PyMem_Free(buf);
    return out;
}

static PyObject *word_records(PyObject *self, PyObject *const *args, Py_ssize_t nargs);

/* lm._char_cost(c, vocab) for a one-character string: vocab's value, else kept in COSTS (words_ready first). */
static PyObject *char_cost_of(PyObject *c, PyObject *vocab, PyObject *char_cost)
{
    PyObject *v = PyDict_GetItemWithError(vocab, c);
    if (v == NULL && !PyErr_Occurred())
        v = PyDict_GetItemWithError(COSTS, c);
    if (v != NULL || PyErr_Occurred())
        return Py_XNewRef(v);
    v = PyObject_CallFunctionObjArgs(char_cost, c, vocab, NULL);
    if (v != NULL && PyDict_GET_SIZE(COSTS) >= 50000)
        PyDict_Clear(COSTS);
    if (v != NULL && PyDict_SetItem(COSTS, c, v) < 0)
        Py_CLEAR(v);
    return v;
}

/* One op of fastrows._close_step for a word q + form + t (q not empty): (-1, off, 0.0, records) or NULL with no
 * error when there is no such word. q in ov_prefixes: recs_fn(q, t) (fastrows._records), else records(). */
static PyObject *close_op_q(PyObject *q, PyObject *t, Py_ssize_t off, PyObject *const *tab, PyObject **err)
{
    /* tab: forms, pos, overlay, vocab, by_len, ov_prefixes, char_cost, recs_fn */
    PyObject *recs = NULL;
    int in_ov = PySet_Contains(tab[5], q);
    if (in_ov < 0) {
        *err = Py_None;
        return NULL;
    }
    if (in_ov) {
        recs = PyObject_CallFunctionObjArgs(tab[7], q, t, NULL);
    } else {
        PyObject *n = PyLong_FromSsize_t(PyUnicode_GET_LENGTH(q) + 1 + PyUnicode_GET_LENGTH(t)), *words;
        words = n == NULL ? NULL : PyDict_GetItemWithError(tab[4], n);
        Py_XDECREF(n);
        if (words != NULL && PyList_Check(words) && PyList_GET_SIZE(words) > 0) {
            PyObject *a[5] = {words, q, t, tab[3], tab[1]};
            recs = records(NULL, a, 5);
        } else if (!PyErr_Occurred()) {
            recs = Py_NewRef(Py_None);
        }
    }
    if (recs == NULL) {
        *err = Py_None;
        return NULL;
    }
    if (recs == Py_None) {
        Py_DECREF(recs);
        return NULL;
    }
    return Py_BuildValue("(nndN)", (Py_ssize_t)-1, off, 0.0, recs);
}

/* fastrows._close_step: one character k of close after s (the same terms, the same values). */
static PyObject *close_step(PyObject *s, PyObject *close, Py_ssize_t k, PyObject *const *tab)
{
    Py_ssize_t n_s = PyUnicode_GET_LENGTH(s);
    Py_UCS4 c = PyUnicode_READ_CHAR(close, k);
    if (c == '\n')
        return PyLong_FromLong(0);
    int run_on = ascii_alnum(c);
    if (k && run_on && ascii_alnum(PyUnicode_READ_CHAR(close, k - 1)))
        return PyLong_FromLong(1);
    PyObject *ops = PyList_New(0), *t = PyUnicode_Substring(close, 0, k + 1), *op, *err = NULL;
    Py_ssize_t top = n_s + 2 + k < 6 ? n_s + 2 + k : 6;
    for (Py_ssize_t n = 2; ops != NULL && t != NULL && n <= top; n++) {
        op = NULL;
        if (n <= k + 1) {
            PyObject *v = word_at(tab[2], tab[3], close, k + 1 - n, k + 1);
            if (v != NULL)
                op = Py_BuildValue("(nnOy#)", k + 1 - n, (Py_ssize_t)0, v, "", (Py_ssize_t)0);
            else if (PyErr_Occurred())
                err = Py_None;
        } else if (n == k + 2) {
            PyObject *a[4] = {tab[0], t, tab[2], tab[3]}, *recs = word_records(NULL, a, 4);
            op = recs == NULL ? NULL : Py_BuildValue("(nndN)", (Py_ssize_t)-1, (Py_ssize_t)0, 0.0, recs);
            err = op == NULL ? Py_None : NULL;
        } else {
            PyObject *q = PyUnicode_Substring(s, n_s - (n - k - 2), n_s);
            op = q == NULL ? NULL : close_op_q(q, t, 2 + k - n, tab, &err);
            Py_XDECREF(q);
            err = q == NULL ? Py_None : err;
        }
        if (err != NULL || (op != NULL && PyList_Append(ops, op) < 0))
            Py_CLEAR(ops);
        Py_XDECREF(op);
    }
    Py_XDECREF(t);
    PyObject *cs = ops == NULL ? NULL : PyUnicode_Substring(close, k, k + 1);
    PyObject *cost = cs == NULL ? NULL : char_cost_of(cs, tab[3], tab[6]), *out = NULL;
    if (cost != NULL)
        out = Py_BuildValue("(ONO)", cost, PyBool_FromLong(!k && run_on), ops);
    Py_XDECREF(cs);
    Py_XDECREF(cost);
    Py_XDECREF(ops);
    return out;
}

/* fastrows.close_plan's plan (every character of close): close_plan(s, close, forms, pos, overlay, vocab, by_len,
 * ov_prefixes, char_cost, recs_fn); by_len: lm._sorted_words(), recs_fn(q, t): fastrows._records. */
static PyObject *close_plan(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 10 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1]) || !PyTuple_Check(args[2])
        || !PyDict_Check(args[3]) || !PyDict_Check(args[4]) || !PyDict_Check(args[5]) || !PyDict_Check(args[6])
        || !PyAnySet_Check(args[7])) {
        PyErr_SetString(PyExc_TypeError, "close_plan(s, close, forms, pos, overlay, vocab, by_len, ov_prefixes, "
                                         "char_cost, recs_fn)");
        return NULL;
    }
    if (words_ready(args[4], args[5]) < 0)
        return NULL;
    PyObject *tab[8] = {args[2], args[3], args[4], args[5], args[6], args[7], args[8], args[9]};
    Py_ssize_t K = PyUnicode_GET_LENGTH(args[1]);
    PyObject *out = PyList_New(K);
    for (Py_ssize_t k = 0; out != NULL && k < K; k++) {
        PyObject *step = close_step(args[0], args[1], k, tab);
        if (step == NULL)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, k, step);
    }
    return out;
}

static PyObject *bonus_of(PyObject *key);

/* fastrows._records for q "": the records (word(forms[i] + t), i) of every form that makes a word with t (in index
 * order), word = overlay.get, else vocab.get. word_records(forms, t, overlay, vocab) */
static PyObject *word_records(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyTuple_Check(args[0]) || !PyUnicode_Check(args[1]) || !PyDict_Check(args[2])
        || !PyDict_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "word_records(forms, t, overlay, vocab)");
        return NULL;
    }
    PyObject *forms = args[0], *t = args[1], *out = NULL;
    if (words_ready(args[2], args[3]) < 0)
        return NULL;
    follow *buf = NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(forms), len = 0, cap = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *w = PyUnicode_Concat(PyTuple_GET_ITEM(forms, i), t), *v;
        if (w == NULL)
            goto done;
        v = word_at(args[2], args[3], w, 0, PyUnicode_GET_LENGTH(w));
        Py_DECREF(w);
        if (v == NULL && PyErr_Occurred())
            goto done;
        if (v != NULL) {
            if (len == cap) {
                cap = cap ? 2 * cap : 16;
                follow *nb = PyMem_Realloc(buf, cap * sizeof(follow));
                if (nb == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                buf = nb;
            }
            buf[len].v = PyFloat_AsDouble(v);
            buf[len++].i = i;
        }
    }
    out = PyBytes_FromStringAndSize((const char *)buf, len * sizeof(follow));
done:
    PyMem_Free(buf);
    return out;
}

/* lm.Scorer._total's terms before the shared right context: total_terms(t, s, start, stop, memo, bonus, counts)
 * -> (docs, terms): docs[i] = log1p(counts.get(t[i:i+2], 0)); terms: for k in range(start + 1, stop), the bonus of
 * key = s[max(start, k - 2):k + 1] from memo, else bonus(key) (None: ngrams.bonus(bg, key[:-1], key[-1]) over the
 * tables of set_tables), then kept in memo. */
static PyObject *total_terms(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1]) || !PyLong_Check(args[2])
        || !PyLong_Check(args[3]) || !PyDict_Check(args[4]) || !PyDict_Check(args[6])) {
        PyErr_SetString(PyExc_TypeError, "total_terms(t, s, start, stop, memo, bonus, counts)");
        return NULL;
    }
    PyObject *t = args[0], *s = args[1], *memo = args[4], *docs = PyList_New(0), *terms = PyList_New(0), *v, *key;
    Py_ssize_t start = PyLong_AsSsize_t(args[2]), stop = PyLong_AsSsize_t(args[3]);
    for (Py_ssize_t i = 0; docs != NULL && i + 1 < PyUnicode_GET_LENGTH(t); i++) {
        key = PyUnicode_Substring(t, i, i + 2);
        v = key == NULL ? NULL : PyDict_GetItemWithError(args[6], key);
        Py_XDECREF(key);
        double n = v != NULL ? PyFloat_AsDouble(v) : 0.0;  /* an int count, exact as a double */
        PyObject *f = key == NULL || PyErr_Occurred() ? NULL : PyFloat_FromDouble(log1p(n));
        if (f == NULL || PyList_Append(docs, f) < 0)
            Py_CLEAR(docs);
        Py_XDECREF(f);
    }
    for (Py_ssize_t k = start + 1; docs != NULL && terms != NULL && k < stop; k++) {
        key = PyUnicode_Substring(s, k - 2 > start ? k - 2 : start, k + 1);
        v = key == NULL ? NULL : PyDict_GetItemWithError(memo, key);
        if (v != NULL) {
            Py_INCREF(v);
        } else if (key != NULL && !PyErr_Occurred()) {
            v = args[5] == Py_None ? bonus_of(key) : PyObject_CallOneArg(args[5], key);
            if (v != NULL && PyDict_SetItem(memo, key, v) < 0)
                Py_CLEAR(v);
        }
        Py_XDECREF(key);
        if (v == NULL || PyList_Append(terms, v) < 0)
            Py_CLEAR(terms);
        Py_XDECREF(v);
    }
    if (docs == NULL || terms == NULL) {
        Py_XDECREF(docs);
        Py_XDECREF(terms);
        return NULL;
    }
    return Py_BuildValue("(NN)", docs, terms);
}

static PyObject *BY_FIRST, *BACK, *UNI, *AFTER, *TRIPLE;  /* the n-gram tables (ngrams.py), set by set_tables */
static double FLOOR;

static PyObject *set_tables(PyObject *self, PyObject *args)
{
    PyObject *t[5];
    if (!PyArg_ParseTuple(args, "O!O!O!dO!O!", &PyDict_Type, &t[0], &PyDict_Type, &t[1], &PyDict_Type, &t[2], &FLOOR,
                          &PyDict_Type, &t[3], &PyDict_Type, &t[4]))
        return NULL;
    PyObject **slots[5] = {&BY_FIRST, &BACK, &UNI, &AFTER, &TRIPLE};
    for (int k = 0; k < 5; k++)
        Py_XSETREF(*slots[k], Py_NewRef(t[k]));
    Py_RETURN_NONE;
}

/* ngrams.bg_form: a digit (str.isdigit) or a lost digit is "0", a line end "¶" (a new reference). */
static PyObject *bg_form(Py_UCS4 c)
{
    if (Py_UNICODE_ISDIGIT(c) || c == 0x25A1)
        c = '0';
    else if (c == '\n')
        c = 0xB6;
    return PyUnicode_FromOrdinal(c);
}

/* ngrams.pmi on forms already in bigram form (a not a line end). Error: -1.0 with an exception set. */
static double pmi_forms(PyObject *a, PyObject *b)
{
    PyObject *d = PyDict_GetItemWithError(BY_FIRST, a), *v = NULL, *u;
    if (d != NULL)
        v = PyDict_GetItemWithError(d, b);
    if (PyErr_Occurred())
        return -1.0;
    if (v != NULL) {
        if ((u = PyDict_GetItemWithError(UNI, b)) == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, b);
            return -1.0;
        }
        return PyFloat_AsDouble(v) - PyFloat_AsDouble(u);
    }
    int in_uni = PyDict_Contains(UNI, b);
    return in_uni == 1 ? get_d(BACK, a, 0.0) : 0.0;
}

/* ngrams.tri_pmi(bg, a, b, c) for three characters. */
static double tri_pmi_chars(Py_UCS4 a, Py_UCS4 b, Py_UCS4 c)
{
    if (a == '\n' || b == '\n')
        return 0.0;
    PyObject *fa = bg_form(a), *fb = bg_form(b), *fc = bg_form(c), *ab = NULL, *abc = NULL;
    double r = 0.0;
    if (fa == NULL || fb == NULL || fc == NULL || (ab = PyUnicode_Concat(fa, fb)) == NULL)
        goto done;
    PyObject *n = PyDict_GetItemWithError(AFTER, ab);
    double n_ab = n == NULL ? 0.0 : PyFloat_AsDouble(n);
    if (n_ab == 0.0)
        goto done;  /* never seen (or an error, left set) */
    double x = pmi_forms(fb, fc);
    if (PyErr_Occurred() || (abc = PyUnicode_Concat(ab, fc)) == NULL)
        goto done;
    double p2 = exp(x + get_d(UNI, fc, FLOOR));
    r = py_log((get_d(TRIPLE, abc, 0.0) + TRI_PRIOR * p2) / (n_ab + TRI_PRIOR)) - py_log(p2);
done:
    Py_XDECREF(fa);
    Py_XDECREF(fb);
    Py_XDECREF(fc);
    Py_XDECREF(ab);
    Py_XDECREF(abc);
    return r;
}

/* ngrams.bonus(bg, left, b) with the tables of set_tables: bonus(left, b) */
static PyObject *bonus(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1]) || PyUnicode_GET_LENGTH(args[1]) != 1
        || BY_FIRST == NULL) {
        PyErr_SetString(PyExc_TypeError, "bonus(left, b): b one character, after set_tables");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(args[0]);
    if (n == 0)
        return PyFloat_FromDouble(0.0);
    Py_UCS4 a = PyUnicode_READ_CHAR(args[0], n - 1), c = PyUnicode_READ_CHAR(args[1], 0);
    double x = 0.0;
    if (a != '\n') {
        PyObject *fa = bg_form(a), *fc = bg_form(c);
        if (fa != NULL && fc != NULL)
            x = pmi_forms(fa, fc);
        Py_XDECREF(fa);
        Py_XDECREF(fc);
    }
    double v = PMI_W * clip(x);
    if (n >= 2 && !PyErr_Occurred())
        v = v + TRI_W * clip(tri_pmi_chars(PyUnicode_READ_CHAR(args[0], n - 2), a, c));
    return PyErr_Occurred() ? NULL : PyFloat_FromDouble(v);
}

/* bonus(key[:-1], key[-1]) (key: at least one character). */
static PyObject *bonus_of(PyObject *key)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    PyObject *lb[2] = {PyUnicode_Substring(key, 0, n - 1), PyUnicode_Substring(key, n - 1, n)}, *v = NULL;
    if (lb[0] != NULL && lb[1] != NULL)
        v = bonus(NULL, lb, 2);
    Py_XDECREF(lb[0]);
    Py_XDECREF(lb[1]);
    return v;
}

/* ahead._lookahead as a row over a slot's forms: for each form f, look_word when a form of the next slot makes a
 * two-character word after f (after[f]), raised to bonus(f, b) for the first follower b of f (followers[f]) that is
 * a form of the next slot (max keeps the first of equals); None when every value is 0.
 * lookahead_row(forms, nxt_forms, after, followers, look_word), after set_tables. */
static PyObject *lookahead_row(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyTuple_Check(args[0]) || !PyAnySet_Check(args[1]) || !PyDict_Check(args[2])
        || !PyDict_Check(args[3]) || !PyFloat_Check(args[4]) || BY_FIRST == NULL) {
        PyErr_SetString(PyExc_TypeError, "lookahead_row(forms, nxt_forms, after, followers, look_word) after set_tables");
        return NULL;
    }
    PyObject *forms = args[0], *nxt = args[1];
    Py_ssize_t n = PyTuple_GET_SIZE(forms);
    double look = PyFloat_AS_DOUBLE(args[4]), *row = PyMem_Malloc((n + 1) * sizeof(double));
    int any = 0;
    if (row == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n && !PyErr_Occurred(); i++) {
        PyObject *f = PyTuple_GET_ITEM(forms, i), *seq;
        double v = 0.0;
        seq = PyDict_GetItemWithError(args[2], f);
        for (Py_ssize_t k = 0; seq != NULL && k < PySequence_Fast_GET_SIZE(seq); k++) {
            int in = PySet_Contains(nxt, PySequence_Fast_GET_ITEM(seq, k));
            if (in != 0) {
                v = in > 0 ? look : 0.0;
                break;
            }
        }
        seq = PyErr_Occurred() ? NULL : PyDict_GetItemWithError(args[3], f);
        for (Py_ssize_t k = 0; seq != NULL && k < PySequence_Fast_GET_SIZE(seq); k++) {
            PyObject *b = PySequence_Fast_GET_ITEM(seq, k);
            int in = PySet_Contains(nxt, b);
            if (in < 0)
                break;
            if (in) {
                PyObject *fb[2] = {f, b}, *x = bonus(NULL, fb, 2);
                if (x != NULL) {
                    double y = PyFloat_AsDouble(x);
                    v = y > v ? y : v;
                    Py_DECREF(x);
                }
                break;
            }
        }
        row[i] = v != 0.0 ? v : 0.0;
        any |= v != 0.0;
    }
    PyObject *out = PyErr_Occurred() ? NULL : any ? to_list(row, n) : Py_NewRef(Py_None);
    PyMem_Free(row);
    return out;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, "configure(word_cost, run_on, pmi_w, pmi_clip, tri_w, tri_prior)"},
    {"set_tables", set_tables, METH_VARARGS, "set_tables(by_first, back, uni, floor, after, triple)"},
    {"bonus", (PyCFunction)(void (*)(void))bonus, METH_FASTCALL, "ngrams.bonus(bg, left, b)"},
    {"slot_pass", (PyCFunction)(void (*)(void))slot_pass, METH_FASTCALL, "search._pass: one slot, every state"},
    {"scan", (PyCFunction)(void (*)(void))scan, METH_FASTCALL, "lm._scan on one sorted word list"},
    {"records", (PyCFunction)(void (*)(void))records, METH_FASTCALL, "fastrows._records of one sorted word list"},
    {"lookahead_row", (PyCFunction)(void (*)(void))lookahead_row, METH_FASTCALL, "ahead._lookahead as a row"},
    {"close_plan", (PyCFunction)(void (*)(void))close_plan, METH_FASTCALL, "fastrows.close_plan's plan"},
    {"word_records", (PyCFunction)(void (*)(void))word_records, METH_FASTCALL, "fastrows._records for q \"\""},
    {"fols_isect", (PyCFunction)(void (*)(void))fols_isect, METH_FASTCALL, "Scorer.fols over a slot's forms"},
    {"pmi_row", (PyCFunction)(void (*)(void))pmi_row, METH_FASTCALL, "rows._pmi_row"},
    {"pmi_terms", (PyCFunction)(void (*)(void))pmi_terms, METH_FASTCALL, "rows._pmi_terms"},
    {"add_tri", (PyCFunction)(void (*)(void))add_tri, METH_FASTCALL, "rows._add_tri's loop"},
    {"close_pmi_row", (PyCFunction)(void (*)(void))close_pmi_row, METH_FASTCALL, "rows._close_bonus_row's pmis"},
    {"close_tri_row", (PyCFunction)(void (*)(void))close_tri_row, METH_FASTCALL, "rows._close_bonus_row's loop"},
    {"total_terms", (PyCFunction)(void (*)(void))total_terms, METH_FASTCALL, "lm.Scorer._total's terms"},
    {"extend_right", (PyCFunction)(void (*)(void))extend_right, METH_FASTCALL, "lm.Scorer._extend_right"},
    {"extend", (PyCFunction)(void (*)(void))extend, METH_FASTCALL, "lm.Scorer.extend"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fast", "The repair's inner loops in C (optional).", -1,
                                    methods};

PyMODINIT_FUNC PyInit__fast(void)
{
    return PyModule_Create(&module);
}
