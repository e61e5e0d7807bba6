/*
 * HyperLogLog over caller-owned registers: HLL_M one-byte registers (2^11,
 * 2.3% standard error, Trino's approx_distinct default). Used by
 * approx_distinct (exec/agg_funcs_ext.c) and by the hive connector's column
 * statistics (connectors/hive/hive_stats.c), so an NDV recorded at write
 * time and one computed by a query are the same estimator.
 */
#ifndef FERRY_COMMON_HLL_H
#define FERRY_COMMON_HLL_H

#include <math.h>
#include <stdint.h>

#define HLL_BITS 11
#define HLL_M (1 << HLL_BITS)

/* One more avalanche round (splitmix64's finalizer) over a value hash, so every bit is usable. */
static inline uint64_t hll_mix(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

/* Records a mixed hash in regs (HLL_M bytes). */
static inline void hll_put(uint8_t *regs, uint64_t h)
{
	uint32_t j = (uint32_t)(h >> (64 - HLL_BITS));
	uint64_t rest = h << HLL_BITS;
	uint8_t rank = rest ? (uint8_t)(__builtin_clzll(rest) + 1) : (uint8_t)(64 - HLL_BITS + 1);
	if (rank > regs[j]) regs[j] = rank;
}

/* Union: exact (register-wise maximum). */
static inline void hll_union(uint8_t *into, const uint8_t *from)
{
	for (int j = 0; j < HLL_M; j++)
		if (from[j] > into[j]) into[j] = from[j];
}

/* Flajolet et al.'s raw estimate, with linear counting while registers are empty. */
static inline int64_t hll_estimate(const uint8_t *regs)
{
	double sum = 0;
	int zeros = 0;
	for (int j = 0; j < HLL_M; j++) {
		sum += ldexp(1.0, -regs[j]);
		zeros += regs[j] == 0;
	}
	double m = HLL_M, e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
	if (e <= 2.5 * m && zeros) e = m * log(m / zeros);
	return llround(e);
}

#endif
