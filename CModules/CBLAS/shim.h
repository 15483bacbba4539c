// CBLAS as shipped by OpenBLAS (Debian: libopenblas-dev), plus the few OpenBLAS
// runtime entry points MedTwin uses to report and control its kernels and threads,
// and a CPU feature probe used to pick the best OpenBLAS kernel for this machine.
#ifndef MEDTWIN_CBLAS_SHIM_H
#define MEDTWIN_CBLAS_SHIM_H

#include <cblas.h>

// OpenBLAS extensions (declared in openblas's cblas.h on most builds; repeated
// here with identical prototypes so the module does not depend on that).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
int openblas_get_num_procs(void);
char *openblas_get_config(void);
char *openblas_get_corename(void);

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

/// CPU features relevant to OpenBLAS's x86-64 kernel choice, as bits:
/// 1 SSE3, 2 AVX (with OS support for YMM state), 4 AVX2, 8 FMA,
/// 16 AVX-512 F+CD+BW+DQ+VL (with OS support for ZMM state), 32 AVX512_BF16,
/// 64 vendor is AMD. Returns 0 on other architectures.
static inline unsigned int medtwin_cpu_features(void) {
#if defined(__x86_64__) || defined(__i386__)
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0, bits = 0, maxLeaf = 0;
    if (!__get_cpuid(0, &maxLeaf, &ebx, &ecx, &edx)) return 0;
    // "AuthenticAMD" is EBX=0x68747541 ("Auth"), EDX=0x69746e65 ("enti"), ECX=0x444d4163 ("cAMD").
    if (ebx == 0x68747541u && edx == 0x69746e65u && ecx == 0x444d4163u) bits |= 64u;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return bits;
    if (ecx & 1u) bits |= 1u;
    int osxsave = (ecx >> 27) & 1u, avx = (ecx >> 28) & 1u, fma = (ecx >> 12) & 1u;
    unsigned long long xcr0 = 0;
    if (osxsave) {
        unsigned int lo = 0, hi = 0;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = ((unsigned long long)hi << 32) | lo;
    }
    int ymm = (xcr0 & 0x6u) == 0x6u;          // XMM and YMM state saved by the OS
    int zmm = (xcr0 & 0xE6u) == 0xE6u;        // plus opmask and ZMM state
    if (avx && ymm) bits |= 2u;
    if (fma && ymm) bits |= 8u;
    if (maxLeaf >= 7) {
        __cpuid_count(7, 0, eax, ebx, ecx, edx);
        if (((ebx >> 5) & 1u) && ymm) bits |= 4u;
        unsigned int avx512 = (1u << 16) | (1u << 17) | (1u << 28) | (1u << 30) | (1u << 31); // F DQ CD BW VL
        if ((ebx & avx512) == avx512 && zmm) bits |= 16u;
        unsigned int subleaves = eax;
        if (subleaves >= 1) {
            __cpuid_count(7, 1, eax, ebx, ecx, edx);
            if (((eax >> 5) & 1u) && zmm) bits |= 32u;
        }
    }
    return bits;
#else
    return 0;
#endif
}

#endif
