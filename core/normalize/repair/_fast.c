/* dafu.normalize.repair._fast: the beam's inner loops in C (issue 20), an optional accelerator.
 *
 * Each function does exactly what the Python function named beside it does (rows.py, search.py, lm.py), with
 * the same double operations in the same order, so the repair's answers are byte-identical with or without it
 * (tests/test_repair_fast.py runs both). Built by setup.py as an optional extension; DAFU_PURE=1 ignores it.
 * Compiled without floating-point contraction (no fused multiply-add): each + and * rounds as Python's do.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static double WORD_COST = 0.0, RUN_ON = 0.0;

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
    if (!PyArg_ParseTuple(args, "dd", &WORD_COST, &RUN_ON))
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

/* The followers branch of rows._step: fols = [(n, {x: log p of the word of the last n - 1 characters + x})]. */
static int step_fols(double *b, Py_ssize_t n, PyObject *pos, Py_ssize_t n_s, PyObject *best, PyObject *fols)
{
    Py_ssize_t nf = PyList_GET_SIZE(fols);
    for (Py_ssize_t f = 0; f < nf; f++) {
        PyObject *pair = PyList_GET_ITEM(fols, f);
        Py_ssize_t len = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0));
        PyObject *fol = PyTuple_GET_ITEM(pair, 1), *x, *y, *ix, *v;
        double bn = best_at(best, n_s + 1 - len);
        Py_ssize_t it = 0;
        if (PyDict_GET_SIZE(fol) < PyDict_GET_SIZE(pos)) {
            while (PyDict_Next(fol, &it, &x, &v)) {
                ix = PyDict_GetItemWithError(pos, x);
                if (ix == NULL) {
                    if (PyErr_Occurred())
                        return -1;
                    continue;
                }
                if (raise_to(b, n, ix, bn + PyFloat_AsDouble(v) + WORD_COST) < 0)
                    return -1;
            }
        } else {
            while (PyDict_Next(pos, &it, &y, &ix)) {
                v = PyDict_GetItemWithError(fol, y);
                if (v == NULL) {
                    if (PyErr_Occurred())
                        return -1;
                    continue;
                }
                if (raise_to(b, n, ix, bn + PyFloat_AsDouble(v) + WORD_COST) < 0)
                    return -1;
            }
        }
    }
    return 0;
}

/* rows._step(sc, info, s, best) as step(costs, pos, s, best, overlay, vocab, fols or None, alnum, newline). */
static PyObject *step(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 9 || !PyTuple_Check(args[0]) || !PyDict_Check(args[1]) || !PyUnicode_Check(args[2])
        || !PyList_Check(args[3]) || !PyDict_Check(args[4]) || !PyDict_Check(args[5])
        || !(args[6] == Py_None || PyList_Check(args[6])) || !PyTuple_Check(args[7]) || !PyTuple_Check(args[8])) {
        PyErr_SetString(PyExc_TypeError, "step(costs, pos, s, best, overlay, vocab, fols, alnum, newline)");
        return NULL;
    }
    PyObject *costs = args[0], *pos = args[1], *s = args[2], *best = args[3];
    Py_ssize_t n = PyTuple_GET_SIZE(costs), n_s = PyUnicode_GET_LENGTH(s);
    double bl = best_at(best, -1);
    double *b = PyMem_Malloc((n ? n : 1) * sizeof(double));
    if (b == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++)
        b[i] = bl + item_d(costs, i) + WORD_COST;
    int err = args[6] == Py_None ? step_few(b, n, pos, s, best, args[4], args[5])
                                 : step_fols(b, n, pos, n_s, best, args[6]);
    PyObject *out = NULL;
    if (err == 0 && !PyErr_Occurred()) {
        if (n_s && ascii_alnum(PyUnicode_READ_CHAR(s, n_s - 1))) {
            for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(args[7]); k++)
                b[PyLong_AsSsize_t(PyTuple_GET_ITEM(args[7], k))] = bl + RUN_ON;
        }
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(args[8]); k++)
            b[PyLong_AsSsize_t(PyTuple_GET_ITEM(args[8], k))] = bl;
        out = to_list(b, n);
    }
    PyMem_Free(b);
    return out;
}

/* rows._gains' first rows: [x - bl + y for x, y in zip(b, bon)], then gain[i] += v for (i, v) in pen. */
static PyObject *gain_base(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4 || !PyList_Check(args[0]) || !PyList_Check(args[1]) || !PyFloat_Check(args[2])
        || !PyTuple_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "gain_base(b, bon, bl, pen)");
        return NULL;
    }
    PyObject *b = args[0], *bon = args[1], *pen = args[3];
    double bl = PyFloat_AS_DOUBLE(args[2]);
    Py_ssize_t n = PyList_GET_SIZE(b);
    if (PyList_GET_SIZE(bon) < n)
        n = PyList_GET_SIZE(bon);
    double *g = PyMem_Malloc((n ? n : 1) * sizeof(double));
    if (g == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++)
        g[i] = item_d(b, i) - bl + item_d(bon, i);
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(pen); k++) {
        PyObject *iv = PyTuple_GET_ITEM(pen, k);
        Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(iv, 0));
        if (i >= 0 && i < n)
            g[i] += PyFloat_AsDouble(PyTuple_GET_ITEM(iv, 1));
    }
    PyObject *out = PyErr_Occurred() ? NULL : to_list(g, n);
    PyMem_Free(g);
    return out;
}

/* rows._gains' last-slot rows, in place: gain[i] += ends[i] - b[i] + cbs[i]; gain[i] += tri[i]. */
static PyObject *add_close(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyList_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "add_close(gain, ends, b, cbs, tri)");
        return NULL;
    }
    PyObject *gain = args[0];
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(gain); i++) {
        double g = item_d(gain, i) + (item_d(args[1], i) - item_d(args[2], i) + item_d(args[3], i));
        g = g + item_d(args[4], i);
        PyObject *f = PyFloat_FromDouble(g);
        if (f == NULL)
            return NULL;
        PyList_SetItem(gain, i, f);
    }
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
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

/* The kept entries of one beam state (search._beam, the plain way). Returns the new threshold.
 * state_row(gain, hs or None, base, thr, width, uniq or None, rk, forms, b, si, kept) */
static PyObject *state_row(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 11 || !PyList_Check(args[0]) || !(args[1] == Py_None || PyList_Check(args[1]))
        || !PyFloat_Check(args[2]) || !PyFloat_Check(args[3]) || !PyLong_Check(args[4])
        || !(args[5] == Py_None || PyTuple_Check(args[5])) || !PyUnicode_Check(args[6]) || !PyTuple_Check(args[7])
        || !PyList_Check(args[8]) || !PyDict_Check(args[10])) {
        PyErr_SetString(PyExc_TypeError, "state_row(gain, hs, base, thr, width, uniq, rk, forms, b, si, kept)");
        return NULL;
    }
    PyObject *gain = args[0], *hs = args[1], *uniq = args[5], *rk = args[6], *forms = args[7], *b = args[8];
    PyObject *si = args[9], *kept = args[10];
    double base = PyFloat_AS_DOUBLE(args[2]), thr = PyFloat_AS_DOUBLE(args[3]);
    Py_ssize_t width = PyLong_AsSsize_t(args[4]), n = PyList_GET_SIZE(gain);
    if (PyTuple_GET_SIZE(forms) < n || PyList_GET_SIZE(b) < n || (hs != Py_None && PyList_GET_SIZE(hs) < n)) {
        PyErr_SetString(PyExc_ValueError, "state_row: rows of different lengths");
        return NULL;
    }
    double *tot = PyMem_Malloc((2 * n + width + 1) * sizeof(double)), *u = tot + n, *heap = u + n;
    if (tot == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++)
        tot[i] = base + item_d(gain, i) + (hs == Py_None ? 0.0 : item_d(hs, i));
    if (n > width && width >= 1) {
        Py_ssize_t m = n;
        if (uniq != Py_None) {
            m = PyTuple_GET_SIZE(uniq);
            for (Py_ssize_t k = 0; k < m; k++)
                u[k] = tot[PyLong_AsSsize_t(PyTuple_GET_ITEM(uniq, k))];
        } else {
            memcpy(u, tot, n * sizeof(double));
        }
        if (m >= width) {
            double t = nth_largest(u, m, width, heap);
            if (t > thr)
                thr = t;
        }
    }
    PyObject *zero = NULL;
    for (Py_ssize_t i = 0; i < n && !PyErr_Occurred(); i++) {
        if (!(tot[i] >= thr))
            continue;
        PyObject *key = PyUnicode_Concat(rk, PyTuple_GET_ITEM(forms, i));
        if (key == NULL)
            break;
        PyObject *old = PyDict_GetItemWithError(kept, key);
        if (old == NULL ? !PyErr_Occurred() : tot[i] > PyFloat_AsDouble(PyTuple_GET_ITEM(old, 0))) {
            PyObject *h = hs == Py_None ? (zero ? zero : (zero = PyFloat_FromDouble(0.0))) : PyList_GET_ITEM(hs, i);
            PyObject *entry = h == NULL ? NULL : Py_BuildValue("(dOnOO)", tot[i], si, i, PyList_GET_ITEM(b, i), h);
            if (entry != NULL) {
                PyDict_SetItem(kept, key, entry);
                Py_DECREF(entry);
            }
        }
        Py_DECREF(key);
    }
    Py_XDECREF(zero);
    PyMem_Free(tot);
    if (PyErr_Occurred())
        return NULL;
    return PyFloat_FromDouble(thr);
}

/* lm.Scorer.extend(s, best): the word-path DP over s past best's prefix. char_cost(c, vocab) as lm._char_cost. */
static PyObject *extend(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1]) || PyList_GET_SIZE(args[1]) < 1
        || !PyDict_Check(args[2]) || !PyDict_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "extend(s, best, overlay, vocab, char_cost)");
        return NULL;
    }
    PyObject *s = args[0], *best0 = args[1], *ov = args[2], *vocab = args[3];
    Py_ssize_t n_s = PyUnicode_GET_LENGTH(s), nb = PyList_GET_SIZE(best0), end = nb > n_s + 1 ? nb : n_s + 1;
    double *best = PyMem_Malloc(end * sizeof(double));
    if (best == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < nb; i++)
        best[i] = item_d(best0, i);
    for (Py_ssize_t p = nb; p <= n_s && !PyErr_Occurred(); p++) {
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
            break;
        v = PyDict_GetItemWithError(ov, w);
        if (v == NULL && !PyErr_Occurred())
            v = PyDict_GetItemWithError(vocab, w);
        double cost;
        if (v != NULL) {
            cost = PyFloat_AsDouble(v);
        } else if (PyErr_Occurred()) {
            Py_DECREF(w);
            break;
        } else {
            PyObject *r = PyObject_CallFunctionObjArgs(args[4], w, vocab, NULL);
            cost = r == NULL ? 0.0 : PyFloat_AsDouble(r);
            Py_XDECREF(r);
        }
        Py_DECREF(w);
        double bb = best[p - 1] + cost + WORD_COST;
        for (Py_ssize_t k = 2; k <= (p < 6 ? p : 6) && !PyErr_Occurred(); k++) {
            w = PyUnicode_Substring(s, p - k, p);
            if (w == NULL)
                break;
            v = PyDict_GetItemWithError(ov, w);
            if (v == NULL && !PyErr_Occurred())
                v = PyDict_GetItemWithError(vocab, w);
            Py_DECREF(w);
            if (v != NULL) {
                double t = best[p - k] + PyFloat_AsDouble(v) + WORD_COST;
                if (t > bb)
                    bb = t;
            }
        }
        best[p] = bb;
    }
    PyObject *out = PyErr_Occurred() ? NULL : to_list(best, end);
    PyMem_Free(best);
    return out;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, "configure(word_cost, run_on): the model's constants"},
    {"step", (PyCFunction)(void (*)(void))step, METH_FASTCALL, "rows._step's row"},
    {"gain_base", (PyCFunction)(void (*)(void))gain_base, METH_FASTCALL, "rows._gains' first rows"},
    {"add_close", (PyCFunction)(void (*)(void))add_close, METH_FASTCALL, "rows._gains' last-slot rows"},
    {"state_row", (PyCFunction)(void (*)(void))state_row, METH_FASTCALL, "search._beam's rows of one state"},
    {"extend", (PyCFunction)(void (*)(void))extend, METH_FASTCALL, "lm.Scorer.extend"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fast", "The repair's inner loops in C (optional).", -1,
                                    methods};

PyMODINIT_FUNC PyInit__fast(void)
{
    return PyModule_Create(&module);
}
