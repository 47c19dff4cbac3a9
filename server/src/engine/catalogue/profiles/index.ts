// Every profile of DESIGN §6, as data. Add a profile: add its JSON file and one line here.
import type { ProfileData } from '../types';
import libc from './libc.json';
import posix from './posix.json';
import linuxKernel from './linux-kernel.json';
import glib from './glib.json';
import libvirt from './libvirt.json';
import xen from './xen.json';
import libxml2 from './libxml2.json';
import curl from './curl.json';
import libgit2 from './libgit2.json';
import nginx from './nginx.json';

export const PROFILES: Record<string, ProfileData> = Object.fromEntries(
  ([libc, posix, linuxKernel, glib, libvirt, xen, libxml2, curl, libgit2, nginx] as ProfileData[]).map((p) => [p.name, p]),
);

export const PROFILE_NAMES = Object.keys(PROFILES);
