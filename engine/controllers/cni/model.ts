/** The network-namespace model lives with the dataplane (printers read it too). */
export * from '../../dataplane/netns';
