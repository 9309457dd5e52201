# GROMACS steps shared by the scripts that make atomistic reference and test data
# (examples/*/make-reference.sh, remcg-core/src/test/resources/xtc/make-data.sh).
#
# Source it from a script that has run `set -euo pipefail`; it sets `here` to that script's directory
# (where the results go). The functions write and run in the current directory (gmx_workdir makes
# that a fresh temporary one) and set these variables for the caller: work, threads (gmx_workdir),
# nwat (gmx_solvate_water). mdp files are written one setting a line; GROMACS ignores the spacing
# around '='.

here=$(cd "$(dirname "$0")" && pwd)

# The thermostat of every dynamics run: v-rescale at 300 K, tau 0.1 ps, one coupling group.
gmx_vrescale="tcoupl = v-rescale
tc-grps = System
tau_t = 0.1
ref_t = 300"

# gmx_common RC: the run settings of the examples: PME and plain cut-offs at RC nm with the Verlet
# scheme, dispersion correction for energy and pressure, energies every 100 steps, saved every 500,
# the log every 5000.
gmx_common() {
    printf '%s\n' 'cutoff-scheme = Verlet' 'coulombtype = PME' "rcoulomb = $1" "rvdw = $1" \
        'DispCorr = EnerPres' 'nstcalcenergy = 100' 'nstlog = 5000' 'nstenergy = 500'
}

# gmx_fresh_velocities SEED: the settings that draw new velocities at 300 K with SEED.
gmx_fresh_velocities() {
    printf '%s\n' 'gen-vel = yes' 'gen-temp = 300' "gen-seed = $1"
}

# gmx_workdir: continue in a fresh temporary directory, removed when the script exits; no GROMACS
# backup files; threads is THREADS from the environment, 2 by default.
gmx_workdir() {
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    cd "$work"
    export GMX_MAXBACKUP=-1
    threads=${THREADS:-2}
}

# gmx_solvate_water EDGE OUT: a cubic box of EDGE nm filled with water from spc216.gro, written to
# OUT; sets nwat to the number of water molecules in it.
gmx_solvate_water() {
    gmx -quiet solvate -cs spc216.gro -box "$1" "$1" "$1" -o "$2"
    nwat=$(( $(sed -n 2p "$2") / 3 ))
}

# gmx_topology TITLE INCLUDES MOLECULES: writes topol.top: the OPLS-AA force field, then each file
# of the space-separated INCLUDES, the system TITLE and the [ molecules ] lines MOLECULES.
gmx_topology() {
    local inc
    {
        echo '#include "oplsaa.ff/forcefield.itp"'
        for inc in $2; do
            echo "#include \"$inc\""
        done
        printf '\n[ system ]\n%s\n\n[ molecules ]\n%s\n' "$1" "$3"
    } > topol.top
}

# gmx_mdp NAME SETTING...: writes NAME.mdp, each argument a line (an argument may hold several lines).
gmx_mdp() {
    local name=$1
    shift
    printf '%s\n' "$@" > "$name.mdp"
}

# gmx_md_mdp NAME NSTEPS SETTING...: NAME.mdp for molecular dynamics with a 2 fs step, NSTEPS steps,
# then the settings given.
gmx_md_mdp() {
    local name=$1 nsteps=$2
    shift 2
    gmx_mdp "$name" 'integrator = md' 'dt = 0.002' "nsteps = $nsteps" "$@"
}

# gmx_stage NAME CONF [GROMPP OPTION...]: preprocesses NAME.mdp with CONF and topol.top into NAME.tpr
# and runs it with mdrun on $threads threads (plus the options in mdrun_options, if set); the
# outputs are NAME.gro, NAME.xtc, NAME.edr, NAME.cpt, ...
gmx_stage() {
    local name=$1 conf=$2
    shift 2
    gmx -quiet grompp -f "$name.mdp" -c "$conf" -p topol.top -o "$name.tpr" "$@"
    # shellcheck disable=SC2086 # mdrun_options is a list of words
    gmx -quiet mdrun -nt "$threads" ${mdrun_options:-} -s "$name.tpr" -deffnm "$name"
}

# gmx_nvt_equilibration NSTEPS CONF SEED SETTING...: the equilibration run eq from CONF under
# gmx_vrescale with fresh velocities (SEED), with the settings given.
gmx_nvt_equilibration() {
    local nsteps=$1 conf=$2 seed=$3
    shift 3
    gmx_md_mdp eq "$nsteps" "$@" "$gmx_vrescale" "$(gmx_fresh_velocities "$seed")"
    gmx_stage eq "$conf"
}

# gmx_nvt_production NSTEPS SETTING...: the production run md from the equilibrated eq.gro and its
# checkpoint eq.cpt (continuation, no new velocities) under gmx_vrescale, with the settings given;
# prints the mean pressure of the run.
gmx_nvt_production() {
    local nsteps=$1
    shift
    gmx_md_mdp md "$nsteps" "$@" "$gmx_vrescale" 'continuation = yes'
    gmx_stage md eq.gro -t eq.cpt
    echo Pressure | gmx -quiet energy -f md.edr -o pressure.xvg | tail -4
}

# gmx_keep_reference: copies the start of production (eq.gro as conf.gro), topol.top and the
# production positions (md.xtc as aa.xtc) to the script's directory.
gmx_keep_reference() {
    cp eq.gro "$here/conf.gro"
    cp topol.top "$here/topol.top"
    cp md.xtc "$here/aa.xtc"
}
