/** The flags kubeadm gives the kubelet: 10-kubeadm.conf's KUBELET_KUBECONFIG_ARGS and KUBELET_CONFIG_ARGS, then kubeadm-flags.env. */
export function kubeletArgs(): string[] {
  return ['--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', '--kubeconfig=/etc/kubernetes/kubelet.conf', '--config=/var/lib/kubelet/config.yaml', '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock'];
}
