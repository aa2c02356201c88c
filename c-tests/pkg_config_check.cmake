# Builds and runs SOURCE with the flags `pkg-config --cflags --libs usrsctp` gives for the
# installed prefix PREFIX. Run with cmake -P; see c-tests/CMakeLists.txt for the variables.

foreach(_var PKG_CONFIG_EXECUTABLE C_COMPILER PREFIX LIBDIR SOURCE WORK_DIR)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "${_var} is not set")
  endif()
endforeach()

set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")
set(ENV{PKG_CONFIG_LIBDIR} "${PREFIX}/${LIBDIR}/pkgconfig") # ignore any system-wide usrsctp.pc

execute_process(
  COMMAND "${PKG_CONFIG_EXECUTABLE}" --cflags --libs usrsctp
  OUTPUT_VARIABLE _flags OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags --libs usrsctp failed")
endif()
execute_process(
  COMMAND "${PKG_CONFIG_EXECUTABLE}" --variable=libdir usrsctp
  OUTPUT_VARIABLE _libdir OUTPUT_STRIP_TRAILING_WHITESPACE)
message(STATUS "pkg-config: ${_flags}")
separate_arguments(_flags UNIX_COMMAND "${_flags}")

file(MAKE_DIRECTORY "${WORK_DIR}")
set(_exe "${WORK_DIR}/app_pkg_config")
execute_process(
  COMMAND "${C_COMPILER}" "${SOURCE}" -o "${_exe}" ${_flags} "-Wl,-rpath,${_libdir}"
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "compiling ${SOURCE} with the pkg-config flags failed")
endif()

execute_process(COMMAND "${_exe}" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "${_exe} failed: ${_rc}")
endif()
