/* Calls a compiled model through the ABI of its generated header (compiled
 * with -include model.h): prints the info table, runs the model once at the
 * batch given as argv[1] on inputs x[i] = (i % 5) - 1.5 and prints the
 * outputs, then makes each kind of bad call and prints its status and
 * message. Works for any model whose tensors are float32. */
#include <stdio.h>
#include <stdlib.h>

static void report(const char *what, int status) {
  printf("%s: status %d: %s\n", what, status, mc_last_error());
}

int main(int argc, char **argv) {
  const struct mc_model_info *info = mc_model_info();
  int64_t batch = argc > 1 ? atoll(argv[1]) : 1;
  const void *inputs[MC_MAX_TENSORS];
  void *outputs[MC_MAX_TENSORS];
  const void *null_inputs[MC_MAX_TENSORS] = {0};
  void *null_outputs[MC_MAX_TENSORS] = {0};
  int32_t i, d;

  printf("model %s abi %d inputs %d outputs %d batch %lld\n", info->name,
         (int)info->abi_version, (int)info->num_inputs,
         (int)info->num_outputs, (long long)info->batch);
  for (i = 0; i < info->num_inputs + info->num_outputs; ++i) {
    int is_input = i < info->num_inputs;
    const mc_tensor_info *t =
        is_input ? &info->inputs[i] : &info->outputs[i - info->num_inputs];
    int64_t n = 1, k;
    float *data;
    printf("%s '%s' dtype %d rank %d shape", is_input ? "input" : "output",
           t->name, (int)t->dtype, (int)t->rank);
    for (d = 0; d < t->rank; ++d) {
      printf(" %lld", (long long)t->shape[d]);
      n *= t->shape[d] < 0 ? batch : t->shape[d];
    }
    printf("\n");
    data = malloc((size_t)n * sizeof(float) + 1);
    for (k = 0; k < n; ++k)
      data[k] = is_input ? (float)(k % 5) - 1.5f : -99.0f;
    if (is_input)
      inputs[i] = data;
    else
      outputs[i - info->num_inputs] = data;
  }

  report("run", mc_model_run(inputs, outputs, batch));
  for (i = 0; i < info->num_outputs; ++i) {
    const mc_tensor_info *t = &info->outputs[i];
    int64_t n = 1, k;
    for (d = 0; d < t->rank; ++d)
      n *= t->shape[d] < 0 ? batch : t->shape[d];
    printf("output %d:", (int)i);
    for (k = 0; k < n; ++k)
      printf(" %g", ((float *)outputs[i])[k]);
    printf("\n");
  }

  report("null inputs", mc_model_run(NULL, outputs, batch));
  report("null outputs", mc_model_run(inputs, NULL, batch));
  null_outputs[0] = outputs[0];
  report("null input 0", mc_model_run(null_inputs, outputs, batch));
  report("null output 0", mc_model_run(inputs, null_outputs + 1, batch));
  report("batch 0", mc_model_run(inputs, outputs, 0));
  report("batch -5", mc_model_run(inputs, outputs, -5));
  if (info->batch > 0) /* a dynamic model would overrun the buffers */
    report("batch + 1", mc_model_run(inputs, outputs, batch + 1));
  report("batch 2^62", mc_model_run(inputs, outputs, (int64_t)1 << 62));
  report("run again", mc_model_run(inputs, outputs, batch));
  return 0;
}
