/* scale.c: y axes, ticks and the number formats of the UI. Pure arithmetic:
 * no terminal here, so tests check it directly. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/plot.h"

/* Guards floor/ceil of logarithms against 1e-3 coming out as -2.9999999. */
#define LOG_EPS 1e-9

void axis_clear(struct axis *a, bool log)
{
	a->log = log;
	a->lo = 0;
	a->hi = 0;
	a->zero_dots = 0;
}

static bool axis_empty(const struct axis *a)
{
	return !(a->lo < a->hi);
}

double nice_step(double x)
{
	if (!(x > 0) || !isfinite(x))
		return 1;
	double p = pow(10, floor(log10(x)));
	double f = x / p;
	static const double steps[] = {1, 2, 2.5, 5, 10};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (f <= steps[i] * (1 + LOG_EPS))
			return steps[i] * p;
	return 10 * p;
}

static void nice_log(double lo, double hi, double *out_lo, double *out_hi)
{
	double l = floor(log10(lo) + LOG_EPS);
	double h = ceil(log10(hi) - LOG_EPS);
	if (h <= l)
		h = l + 1;
	*out_lo = pow(10, l);
	*out_hi = pow(10, h);
}

static void nice_linear(double lo, double hi, double *out_lo, double *out_hi)
{
	/* Losses and norms are read against zero: keep it on the axis. */
	if (lo > 0)
		lo = 0;
	if (hi < 0)
		hi = 0;
	double span = hi - lo;
	if (!(span > 0))
		span = 1;
	double step = nice_step(span / 5);
	double l = floor(lo / step + LOG_EPS) * step;
	double h = ceil(hi / step - LOG_EPS) * step;
	if (h <= l)
		h = l + step;
	*out_lo = l;
	*out_hi = h;
}

bool axis_cover(struct axis *a, double lo, double hi)
{
	bool lo_ok = isfinite(lo) && (!a->log || lo > 0);
	bool hi_ok = isfinite(hi) && (!a->log || hi > 0);
	if (!lo_ok && !hi_ok)
		return false;
	if (!lo_ok)
		lo = hi;
	if (!hi_ok)
		hi = lo;
	if (lo > hi) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	if (!axis_empty(a)) {
		if (lo >= a->lo && hi <= a->hi)
			return false;
		lo = fmin(lo, a->lo);
		hi = fmax(hi, a->hi);
	}
	double nl, nh;
	if (a->log) {
		nice_log(lo, hi, &nl, &nh);
		/* Gradient descent drives a train loss down to float noise (1e-31);
		 * following it would squash every other curve into the top rows.
		 * Below AXIS_LOG_DECADES under the top, values sit on the bottom
		 * row (the table still shows the true number). */
		if (nh / nl > pow(10.0, AXIS_LOG_DECADES))
			nl = nh / pow(10.0, AXIS_LOG_DECADES);
	} else {
		nice_linear(lo, hi, &nl, &nh);
	}
	bool changed = nl != a->lo || nh != a->hi;
	a->lo = nl;
	a->hi = nh;
	return changed;
}

/* Position of v between lo (0) and hi (1), unclamped. */
static double axis_frac(const struct axis *a, double v)
{
	if (a->log)
		return (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
	return (v - a->lo) / (a->hi - a->lo);
}

int axis_dot(const struct axis *a, double v, int ndots)
{
	if (!isfinite(v) || axis_empty(a) || ndots <= 0)
		return -1;
	if (a->log && v <= 0)
		return ndots - 1;
	if (a->log && a->zero_dots > 0 && ndots > a->zero_dots)
		ndots -= a->zero_dots;
	double f = axis_frac(a, v);
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return (int)lround((1 - f) * (ndots - 1));
}

int axis_ticks(const struct axis *a, int max_ticks, double *ticks)
{
	if (axis_empty(a) || max_ticks < 1)
		return 0;
	int n = 0;
	if (a->log) {
		if (!(a->lo > 0))
			return 0;
		int l = (int)ceil(log10(a->lo) - LOG_EPS);
		int h = (int)floor(log10(a->hi) + LOG_EPS);
		/* Every decade if they fit, else every 2nd, 3rd, 5th, 10th...
		 * on multiples of the stride: 1e0, 1e-5, 1e-10. */
		static const int strides[] = {1, 2, 3, 5, 10, 20, 50, 100};
		int stride = 100;
		for (size_t i = 0; i < sizeof strides / sizeof strides[0]; i++) {
			int cnt = 0;
			for (int e = h; e >= l; e--)
				cnt += e % strides[i] == 0;
			if (cnt <= max_ticks) {
				stride = strides[i];
				break;
			}
		}
		for (int e = h; e >= l && n < max_ticks; e--)
			if (e % stride == 0)
				ticks[n++] = pow(10, e);
		return n;
	}
	if (max_ticks == 1) {
		ticks[0] = a->hi;
		return 1;
	}
	/* The widest nice step that fits max_ticks, made finer while it
	 * would leave a single tick. */
	double step = nice_step((a->hi - a->lo) / (max_ticks - 1));
	for (int tries = 0; tries < 8; tries++) {
		n = 0;
		for (double k = floor(a->hi / step + LOG_EPS); n < max_ticks; k -= 1) {
			double v = k * step;
			if (v < a->lo - step * LOG_EPS)
				break;
			if (fabs(v) < step * LOG_EPS)
				v = 0;
			ticks[n++] = v;
		}
		if (n >= 2)
			break;
		step = nice_step(step / 2.1);
	}
	return n;
}

/* "%.3g" with the exponent written short: 7.9e-08 -> 7.9e-8, 1e+05 -> 1e5. */
char *fmt_short(char *buf, size_t len, double v)
{
	char tmp[48];
	snprintf(tmp, sizeof tmp, "%.3g", v);
	char *e = strchr(tmp, 'e');
	if (e) {
		char *src = e + 1;
		char sign = 0;
		if (*src == '+' || *src == '-')
			sign = *src++;
		while (*src == '0' && src[1])
			src++;
		char exp[16];
		snprintf(exp, sizeof exp, "%s%s", sign == '-' ? "-" : "", src);
		*e = 0;
		snprintf(buf, len, "%se%s", tmp, exp);
	} else {
		snprintf(buf, len, "%s", tmp);
	}
	return buf;
}

char *fmt_axis(char *buf, size_t len, double v)
{
	/* whole numbers whole while they fit in the width %.3g would take
	 * at most ("1.02e3" is 6): 1024, 20000, 100000; past that short */
	if (isfinite(v) && v == floor(v) && fabs(v) < 1e6) {
		snprintf(buf, len, "%.0f", v);
		return buf;
	}
	return fmt_short(buf, len, v);
}

char *fmt_tick(char *buf, size_t len, double v, bool log)
{
	if (!isfinite(v)) {
		snprintf(buf, len, "%s", "?");
		return buf;
	}
	if (v == 0) {
		snprintf(buf, len, "0");
		return buf;
	}
	double av = fabs(v);
	if (log) {
		double k = round(log10(av));
		if (fabs(av / pow(10, k) - 1) < 1e-6) {
			snprintf(buf, len, "%s1e%d", v < 0 ? "-" : "", (int)k);
			return buf;
		}
		return fmt_short(buf, len, v);
	}
	if (av >= 1e5 || av < 1e-4)
		return fmt_short(buf, len, v);
	char tmp[48];
	snprintf(tmp, sizeof tmp, "%.6f", v);
	char *dot = strchr(tmp, '.');
	if (dot) {
		char *end = tmp + strlen(tmp) - 1;
		while (end > dot && *end == '0')
			*end-- = 0;
		if (end == dot)
			*end = 0;
	}
	if (strcmp(tmp, "-0") == 0)
		snprintf(tmp, sizeof tmp, "0");
	snprintf(buf, len, "%s", tmp);
	return buf;
}

char *fmt_thousands(char *buf, size_t len, long v)
{
	char digits[32];
	unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	int nd = snprintf(digits, sizeof digits, "%llu", mag);
	char out[48];
	size_t o = 0;
	if (v < 0)
		out[o++] = '-';
	for (int i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = 0;
	snprintf(buf, len, "%s", out);
	return buf;
}

char *fmt_loss(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "diverged");
	else
		fmt_short(buf, len, v);
	return buf;
}

int epoch_col(uint32_t epoch, uint32_t planned, int ncols)
{
	if (ncols <= 1 || planned == 0)
		return 0;
	if (epoch > planned)
		epoch = planned;
	uint64_t num = (uint64_t)epoch * (uint64_t)(ncols - 1) * 2 + planned;
	return (int)(num / (2 * (uint64_t)planned));
}
