/* The EAF reader's compiled fast path: reads the time slots and a tier's annotations straight from the
 * libxml2 tree that lxml parsed, as the plain Python lists the reader builds annotations from.
 *
 * It only reads the common, plain form of an EAF file and gives up (returns None) at anything else: then
 * the reader reads the same element with Python (kslars/formats/eaf_columns.py and eaf_reader.py), which
 * also reports every problem with its line. So this code never decides whether a file is valid; it only
 * recognises files that plainly are. It never changes the tree, and it reads it while the caller holds the
 * lxml element, which keeps the tree alive.
 *
 * It is built from lxml's own headers (the lxml wheel ships them with the libxml2 it is linked with) and
 * records the lxml version it was built for; eaf_columns.py uses it only with that version.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#include <libxml/tree.h>
#include "lxml-version.h"

/* The first fields of lxml's _Element (lxml/etree.h: struct LxmlElement). */
typedef struct {
    PyObject_HEAD
    PyObject *doc;
    xmlNode *c_node;
} LxmlElement;

static PyTypeObject *element_type; /* lxml.etree._Element */

/* The result of a step: 0 carries on, UNUSUAL gives up (the caller returns None), FAILED raised an exception. */
enum { OK = 0, UNUSUAL = 1, FAILED = -1 };

/* The libxml2 node of an lxml element; NULL, with TypeError, for anything else. */
static xmlNode *node_of(PyObject *obj) {
    if (!PyObject_TypeCheck(obj, element_type) || ((LxmlElement *)obj)->c_node == NULL) {
        PyErr_SetString(PyExc_TypeError, "expected an lxml element");
        return NULL;
    }
    return ((LxmlElement *)obj)->c_node;
}

/* Whether n is an element without namespace called name (what lxml's tag == name means). */
static int is_element(const xmlNode *n, const char *name) {
    return n->type == XML_ELEMENT_NODE && n->ns == NULL && strcmp((const char *)n->name, name) == 0;
}

/* The only element child of n in *child; UNUSUAL when n has none, several, or nodes other than elements and text. */
static int only_child(const xmlNode *n, const xmlNode **child) {
    const xmlNode *found = NULL;
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE)
            continue; /* whitespace between elements */
        if (c->type != XML_ELEMENT_NODE || found != NULL)
            return UNUSUAL;
        found = c;
    }
    if (found == NULL)
        return UNUSUAL;
    *child = found;
    return OK;
}

/* The text held by the node list that starts at first (an attribute's value, or what an <ANNOTATION_VALUE>
 * holds) in *text, "" when the list is empty; UNUSUAL unless it is one text node. */
static int only_text(const xmlNode *first, const char **text) {
    if (first == NULL) {
        *text = "";
        return OK;
    }
    if (first->type != XML_TEXT_NODE || first->next != NULL || first->content == NULL)
        return UNUSUAL;
    *text = (const char *)first->content;
    return OK;
}

/* Append the Python str of UTF-8 text s to list. */
static int append_str(PyObject *list, const char *s) {
    PyObject *str = PyUnicode_FromString(s);
    if (str == NULL)
        return FAILED;
    int failed = PyList_Append(list, str);
    Py_DECREF(str);
    return failed ? FAILED : OK;
}

/* Append s (a str, or None when s is NULL) to the optional column *list, which stays NULL while every value is None:
 * it is created, with `count` Nones, at the first value. */
static int append_optional(PyObject **list, Py_ssize_t count, const char *s) {
    if (*list == NULL) {
        if (s == NULL)
            return OK;
        *list = PyList_New(count);
        if (*list == NULL)
            return FAILED;
        for (Py_ssize_t i = 0; i < count; i++) {
            Py_INCREF(Py_None);
            PyList_SET_ITEM(*list, i, Py_None);
        }
    }
    if (s == NULL)
        return PyList_Append(*list, Py_None) ? FAILED : OK;
    return append_str(*list, s);
}

/* A whole number of milliseconds written with plain digits only (at most 15 of them) in *ms; UNUSUAL otherwise,
 * including signs, spaces and negative numbers, which the Python reader reads or reports. */
static int milliseconds(const char *s, long long *ms) {
    size_t n = strlen(s);
    if (n == 0 || n > 15)
        return UNUSUAL;
    long long value = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return UNUSUAL;
        value = value * 10 + (s[i] - '0');
    }
    *ms = value;
    return OK;
}

/* time_slots(time_order) */
static PyObject *time_slots(PyObject *module, PyObject *order_obj) {
    const xmlNode *order = node_of(order_obj);
    if (order == NULL)
        return NULL;
    PyObject *slots = PyDict_New();
    if (slots == NULL)
        return NULL;
    int step = OK;
    for (const xmlNode *e = order->children; e != NULL && step == OK; e = e->next) {
        if (e->type == XML_TEXT_NODE)
            continue;
        if (!is_element(e, "TIME_SLOT")) {
            step = UNUSUAL;
            break;
        }
        const char *id = NULL, *time = NULL;
        for (const xmlAttr *a = e->properties; a != NULL && step == OK; a = a->next) {
            if (a->ns != NULL)
                continue;
            if (strcmp((const char *)a->name, "TIME_SLOT_ID") == 0)
                step = only_text(a->children, &id);
            else if (strcmp((const char *)a->name, "TIME_VALUE") == 0)
                step = only_text(a->children, &time);
        }
        if (step != OK || id == NULL) {
            step = UNUSUAL;
            break;
        }
        long long ms = 0;
        if (time != NULL && milliseconds(time, &ms) != OK) {
            step = UNUSUAL;
            break;
        }
        PyObject *key = PyUnicode_FromString(id);
        PyObject *value = time == NULL ? Py_NewRef(Py_None) : PyLong_FromLongLong(ms);
        if (key == NULL || value == NULL)
            step = FAILED;
        else {
            int known = PyDict_Contains(slots, key);
            step = known < 0 ? FAILED : known ? UNUSUAL : PyDict_SetItem(slots, key, value) ? FAILED : OK;
        }
        Py_XDECREF(key);
        Py_XDECREF(value);
    }
    if (step == OK)
        return slots;
    Py_DECREF(slots);
    return step == UNUSUAL ? Py_NewRef(Py_None) : NULL;
}

/* The attributes an annotation of the plain form may have, by kind. */
enum { ID, REF1, REF2, PARENT, PREVIOUS, CVE, FIELDS };
static const char *const FIELD_NAMES[FIELDS] = {
    "ANNOTATION_ID", "TIME_SLOT_REF1", "TIME_SLOT_REF2", "ANNOTATION_REF", "PREVIOUS_ANNOTATION", "CVE_REF",
};

/* The attributes of annotation element x in fields; UNUSUAL for any attribute the plain form does not have. */
static int annotation_fields(const xmlNode *x, int aligned, const char *fields[FIELDS]) {
    for (int k = 0; k < FIELDS; k++)
        fields[k] = NULL;
    for (const xmlAttr *a = x->properties; a != NULL; a = a->next) {
        if (a->ns != NULL)
            return UNUSUAL;
        int k = 0;
        while (k < FIELDS && strcmp((const char *)a->name, FIELD_NAMES[k]) != 0)
            k++;
        if (k == FIELDS || (aligned ? (k == PARENT || k == PREVIOUS) : (k == REF1 || k == REF2)))
            return UNUSUAL;
        if (only_text(a->children, &fields[k]) != OK)
            return UNUSUAL;
    }
    if (fields[ID] == NULL || (aligned ? fields[REF1] == NULL || fields[REF2] == NULL : fields[PARENT] == NULL))
        return UNUSUAL;
    return OK;
}

/* The time of slot reference ref (a borrowed int or None) in *time, and the reference as str in *str_out. */
static int slot_time(PyObject *slots, const char *ref, PyObject **time, PyObject **str_out) {
    PyObject *str = PyUnicode_FromString(ref);
    if (str == NULL)
        return FAILED;
    PyObject *found = PyDict_GetItemWithError(slots, str);
    if (found == NULL) {
        Py_DECREF(str);
        return PyErr_Occurred() ? FAILED : UNUSUAL;
    }
    *time = found;
    *str_out = str;
    return OK;
}

/* Append a new reference to value to list. */
static int append_object(PyObject *list, PyObject *value) {
    return PyList_Append(list, value) ? FAILED : OK;
}

/* One time-aligned annotation with attributes f and value text into the columns. */
static int add_aligned(PyObject *slots, const char *f[FIELDS], PyObject *columns[6]) {
    PyObject *start, *end, *ref1 = NULL, *ref2 = NULL;
    int step = slot_time(slots, f[REF1], &start, &ref1);
    if (step == OK)
        step = slot_time(slots, f[REF2], &end, &ref2);
    if (step == OK && start != Py_None && end != Py_None) {
        int backwards = PyObject_RichCompareBool(end, start, Py_LT);
        step = backwards < 0 ? FAILED : backwards ? UNUSUAL : OK;
    }
    if (step == OK)
        step = append_object(columns[2], start);
    if (step == OK)
        step = append_object(columns[3], end);
    if (step == OK)
        step = append_object(columns[4], ref1);
    if (step == OK)
        step = append_object(columns[5], ref2);
    Py_XDECREF(ref1);
    Py_XDECREF(ref2);
    return step;
}

/* tier_columns(tier, aligned, slots) */
static PyObject *tier_columns(PyObject *module, PyObject *args) {
    PyObject *tier_obj, *slots;
    int aligned;
    if (!PyArg_ParseTuple(args, "OpO!", &tier_obj, &aligned, &PyDict_Type, &slots))
        return NULL;
    const xmlNode *tier = node_of(tier_obj);
    if (tier == NULL)
        return NULL;
    const char *kind = aligned ? "ALIGNABLE_ANNOTATION" : "REF_ANNOTATION";
    /* aligned: ids, values, starts, ends, start slots, end slots; referring: ids, values, parents */
    int ncolumns = aligned ? 6 : 3;
    PyObject *columns[6] = {NULL}, *previous = NULL, *entries = NULL;
    int step = OK;
    for (int i = 0; i < ncolumns && step == OK; i++)
        if ((columns[i] = PyList_New(0)) == NULL)
            step = FAILED;
    Py_ssize_t count = 0;
    for (const xmlNode *w = tier->children; w != NULL && step == OK; w = w->next) {
        if (w->type == XML_TEXT_NODE)
            continue;
        const xmlNode *x, *v;
        const char *f[FIELDS], *text;
        if (!is_element(w, "ANNOTATION") || only_child(w, &x) != OK || !is_element(x, kind) || only_child(x, &v) != OK ||
            !is_element(v, "ANNOTATION_VALUE") || only_text(v->children, &text) != OK || annotation_fields(x, aligned, f) != OK) {
            step = UNUSUAL;
            break;
        }
        step = append_str(columns[0], f[ID]);
        if (step == OK)
            step = append_str(columns[1], text);
        if (step == OK)
            step = aligned ? add_aligned(slots, f, columns) : append_str(columns[2], f[PARENT]);
        if (step == OK && !aligned)
            step = append_optional(&previous, count, f[PREVIOUS]);
        if (step == OK)
            step = append_optional(&entries, count, f[CVE]);
        count++;
    }
    PyObject *result = NULL;
    if (step == OK) {
        PyObject *none = Py_None;
        result = aligned ? PyTuple_Pack(7, columns[0], columns[1], columns[2], columns[3], columns[4], columns[5],
                                        entries ? entries : none)
                         : PyTuple_Pack(5, columns[0], columns[1], columns[2], previous ? previous : none,
                                        entries ? entries : none);
    }
    for (int i = 0; i < 6; i++)
        Py_XDECREF(columns[i]);
    Py_XDECREF(previous);
    Py_XDECREF(entries);
    if (step == UNUSUAL)
        return Py_NewRef(Py_None);
    return result; /* NULL with the exception set when a step failed or packing did */
}

static PyMethodDef methods[] = {
    {"time_slots", time_slots, METH_O,
     "time_slots(time_order) -> {slot id: ms or None} for a <TIME_ORDER> of the plain form, else None."},
    {"tier_columns", tier_columns, METH_VARARGS,
     "tier_columns(tier, aligned, slots) -> the annotation columns of a <TIER> of the plain form, else None.\n\n"
     "Time-aligned: (ids, values, starts, ends, start slots, end slots, CVE_REFs or None); referring:\n"
     "(ids, values, parents, PREVIOUS_ANNOTATIONs or None, CVE_REFs or None). A column is None when no\n"
     "annotation has that attribute; otherwise it holds None for the annotations without it."},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *module) {
    PyObject *etree = PyImport_ImportModule("lxml.etree");
    if (etree == NULL)
        return -1;
    PyObject *type = PyObject_GetAttrString(etree, "_Element");
    Py_DECREF(etree);
    if (type == NULL)
        return -1;
    if (!PyType_Check(type)) {
        Py_DECREF(type);
        PyErr_SetString(PyExc_ImportError, "lxml.etree._Element is not a type");
        return -1;
    }
    element_type = (PyTypeObject *)type; /* kept for the life of the process, like lxml itself */
    return PyModule_AddStringConstant(module, "LXML_VERSION", LXML_VERSION_STRING);
}

static PyModuleDef_Slot slots_table[] = {{Py_mod_exec, exec_module}, {0, NULL}};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_eaf_scan", "The EAF reader's compiled fast path (see eaf_columns.py).", 0, methods,
    slots_table, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__eaf_scan(void) { return PyModuleDef_Init(&module_def); }
